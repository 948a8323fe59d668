// ANSI styles for the human outputs (diagnostics, plans, show). Whether to use them
// is the caller's decision: only on a terminal, never with NO_COLOR.
#pragma once

#include <string>
#include <string_view>

namespace podnetc::style {

inline constexpr std::string_view bold = "\033[1m";
inline constexpr std::string_view red = "\033[31m";
inline constexpr std::string_view green = "\033[32m";
inline constexpr std::string_view yellow = "\033[33m";
inline constexpr std::string_view cyan = "\033[36m";
inline constexpr std::string_view bold_red = "\033[1;31m";
inline constexpr std::string_view bold_green = "\033[1;32m";
inline constexpr std::string_view bold_magenta = "\033[1;35m";
inline constexpr std::string_view bold_cyan = "\033[1;36m";
inline constexpr std::string_view reset = "\033[0m";

// `text` in `style` when `enabled`, else `text` unchanged.
inline std::string paint(std::string_view text, std::string_view style, bool enabled) {
    std::string out;
    if (enabled) out.append(style);
    out.append(text);
    if (enabled) out.append(reset);
    return out;
}

}  // namespace podnetc::style
