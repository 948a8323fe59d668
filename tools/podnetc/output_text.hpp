// Durations as the transaction commands print them.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace podnetc::cli {

// "0.42 ms" (below 10 ms), "0.031 s" (below a second), "1.25 s".
std::string seconds_text(std::chrono::steady_clock::duration duration);
// Seconds since `start`.
std::string elapsed_text(std::chrono::steady_clock::time_point start);
// Whole milliseconds since `start` (the "milliseconds" of a JSON result).
std::uint64_t milliseconds_since(std::chrono::steady_clock::time_point start);

}  // namespace podnetc::cli
