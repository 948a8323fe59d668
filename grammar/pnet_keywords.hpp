// Facts about .pnet words that the grammar needs and that other stages share.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace podnetc::grammar {

// Options that take no value. The grammar must know them to split a line such as
// `pod p on lan address 10.0.0.1 default-route host-veth v1`; every other option
// is `key value`. The TOML front end uses the same table (a flag is `key = true`),
// so in every AST an Option has a value exactly when its key is not listed here.
inline constexpr std::array<std::string_view, 2> flag_options = {"adopt", "default-route"};

// The characters of a word outside interpolations: A-Z a-z 0-9 _ - . / : ('-' '.'
// '/' 0-9 ':' are one run of ASCII). The grammar's word_char rule is this test.
constexpr bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '-' && c <= ':') || c == '_';
}

constexpr bool is_flag_option(std::string_view key) {
    for (std::string_view flag : flag_options) {
        if (flag == key) return true;
    }
    return false;
}

// Limits that keep parsing linear in time and bounded in stack depth on any input.
inline constexpr std::size_t max_nesting = 32;          // for loops, parentheses
inline constexpr int max_zero_pad_width = 32;            // {i:0N}
inline constexpr int max_expression_operators = 64;      // per {…}: bounds the tree's depth

}  // namespace podnetc::grammar
