// Durations as people write them on a command line: "90s", "2m", "500ms", "1h",
// "1m30s"; a bare number is seconds.
#pragma once

#include <optional>
#include <string_view>

#include "runtime/agent/clock.hpp"

namespace podnetc::agent {

std::optional<Duration> parse_duration(std::string_view text);

}  // namespace podnetc::agent
