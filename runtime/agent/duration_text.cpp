#include "runtime/agent/duration_text.hpp"

#include <charconv>
#include <cstdint>

namespace podnetc::agent {
namespace {

std::optional<std::int64_t> unit_millis(std::string_view unit) {
    if (unit == "ms") return 1;
    if (unit == "s" || unit.empty()) return 1000;
    if (unit == "m") return 60'000;
    if (unit == "h") return 3'600'000;
    return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::int64_t total = 0;
    bool bare = true;
    while (!text.empty()) {
        std::int64_t number = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (error != std::errc() || number < 0 || number > 1'000'000'000) return std::nullopt;
        text.remove_prefix(static_cast<std::size_t>(end - text.data()));
        std::size_t unit_length = 0;
        while (unit_length < text.size() && !is_digit(text[unit_length])) ++unit_length;
        const auto scale = unit_millis(text.substr(0, unit_length));
        // A bare number is only allowed alone ("90", not "1m30").
        if (!scale || (unit_length == 0 && !bare)) return std::nullopt;
        if (unit_length == 0 && !text.empty()) return std::nullopt;
        bare = false;
        total += number * *scale;
        text.remove_prefix(unit_length);
    }
    return Duration(total);
}

}  // namespace podnetc::agent
