#pragma once
// The agent decides from a steady clock's readings passed in, so that the pure parts
// are tested without sleeping.

#include <chrono>

namespace podnetc::agent {
using Clock = std::chrono::steady_clock;
using Duration = std::chrono::milliseconds;
}  // namespace podnetc::agent
