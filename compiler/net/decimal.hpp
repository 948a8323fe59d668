// Strict decimal numbers as the address syntaxes write them: no sign, no leading
// zeros ("0" itself is fine), at most `max`. Shared by the address parsers and by
// the checks that explain why a text is not an address.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace podnetc::net_detail {

inline std::optional<std::uint32_t> parse_decimal(std::string_view text, std::uint32_t max) {
    if (text.empty() || text.size() > 10) return std::nullopt;
    if (text.size() > 1 && text[0] == '0') return std::nullopt;
    std::uint64_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (value > max) return std::nullopt;
    return static_cast<std::uint32_t>(value);
}

// Addresses are printed for every object of every plan and snapshot: by hand
// rather than through fmt's type-erased formatting, which costs several times more.
inline void append_decimal(std::string& out, unsigned value) {
    if (value >= 100) out += static_cast<char>('0' + value / 100 % 10);
    if (value >= 10) out += static_cast<char>('0' + value / 10 % 10);
    out += static_cast<char>('0' + value % 10);
}

inline int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace podnetc::net_detail
