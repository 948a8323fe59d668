// What each rule expected: the message of a syntax error when a rule under must<>
// fails, or when raise<> names it. The parser's control refuses to compile a
// must<>/raise<> whose rule has no entry here.
#pragma once

#include <string_view>

#include "grammar/pnet.hpp"

namespace podnetc::grammar {

// Where the caret goes.
enum class anchor {
    at_error,        // the token where the rule failed (blanks before it skipped)
    at_character,    // exactly the character where the rule failed, even a blank
    previous_token,  // the token before it (`for`, `(`)
    open_brace,      // the '{' that opened the interpolation being read
};

struct error_message {
    // "{prev}" is replaced by the text of the token before the error.
    std::string_view text;
    anchor where = anchor::at_error;
};

template <typename Rule>
inline constexpr error_message error_for{};

// clang-format off
// Expressions and words.
template <> inline constexpr error_message error_for<interpolation_expression>{"expected an expression after '{' (like {i} or {i + 1})"};
template <> inline constexpr error_message error_for<inner_expression>{"expected an expression after '('"};
template <> inline constexpr error_message error_for<paren_close>{"expected ')' to close '('"};
template <> inline constexpr error_message error_for<operand>{"expected a number, a variable or '(' after '{prev}'"};
template <> inline constexpr error_message error_for<product>{"expected a number, a variable or '(' after '{prev}'"};
template <> inline constexpr error_message error_for<pad_width>{"expected a zero-padding width like ':03' after ':'"};
template <> inline constexpr error_message error_for<unterminated_interpolation>{"unterminated '{' interpolation", anchor::open_brace};
template <> inline constexpr error_message error_for<interpolation_close_expected>{"expected an operator, ':0N' or '}' in the interpolation"};
template <> inline constexpr error_message error_for<nested<parenthesized_rest>>{"too many nested parentheses (at most 32)", anchor::previous_token};
template <> inline constexpr error_message error_for<option_value>{"expected a value after '{prev}'"};

// Declarations.
template <> inline constexpr error_message error_for<network_name>{"expected a network name after 'network'"};
template <> inline constexpr error_message error_for<network_end>{"expected an option, '{' or the end of the line"};
template <> inline constexpr error_message error_for<expected_option>{"expected an option (like 'mtu 1450')"};
template <> inline constexpr error_message error_for<option_line_end>{"expected an option or the end of the line"};
template <> inline constexpr error_message error_for<pod_name>{"expected a pod name after 'pod'"};
template <> inline constexpr error_message error_for<pod_end>{"expected an option, '{' or the end of the line"};
template <> inline constexpr error_message error_for<network_ref>{"expected a network name after 'on'"};
template <> inline constexpr error_message error_for<on_after_interface_name>{"expected 'on NETWORK' after the interface name"};
template <> inline constexpr error_message error_for<expected_interface>{"expected an interface: '[NAME] on NETWORK option…'"};
template <> inline constexpr error_message error_for<interface_end>{"expected an option or the end of the line"};
template <> inline constexpr error_message error_for<loop_variable>{"expected a loop variable name after 'for'"};
template <> inline constexpr error_message error_for<kw_in>{"expected 'in' after the loop variable"};
template <> inline constexpr error_message error_for<loop_range>{"expected a range like 1..110 after 'in'"};
template <> inline constexpr error_message error_for<range_dots>{"expected '..' in a range like 1..110"};
template <> inline constexpr error_message error_for<range_last>{"expected the last number of the range after '..'"};
template <> inline constexpr error_message error_for<for_body>{"expected '{' after the range: a loop's body is a block"};
template <> inline constexpr error_message error_for<nested<for_rest>>{"too many nested 'for' loops (at most 32)", anchor::previous_token};
template <> inline constexpr error_message error_for<node_name>{"expected a node name after 'node'"};
template <> inline constexpr error_message error_for<node_body>{"expected an option (like 'underlay 192.168.0.11') or '{' after the node name"};
template <> inline constexpr error_message error_for<expected_cluster_option>{"expected an option after 'cluster' (like 'backend host-gw')"};
template <> inline constexpr error_message error_for<cluster_end>{"expected an option or the end of the line"};
template <> inline constexpr error_message error_for<end_after_block>{"expected the end of the line after '}'"};

// Statements.
template <> inline constexpr error_message error_for<expected_declaration>{"expected a declaration: 'network', 'pod', 'for', 'node' or 'cluster'"};
template <> inline constexpr error_message error_for<expected_nested_declaration>{"expected a declaration: 'network', 'pod' or 'for'"};
template <> inline constexpr error_message error_for<node_not_at_top_level>{"a 'node' block must be at the top level of the file"};
template <> inline constexpr error_message error_for<cluster_not_at_top_level>{"a 'cluster' line must be at the top level of the file: it is one for all nodes"};
template <> inline constexpr error_message error_for<unexpected_block>{"unexpected '{': a block must open on the line of its declaration"};

// Single values from the TOML front end.
template <> inline constexpr error_message error_for<value_word>{"expected a name or value: letters, digits, '_', '-', '.', '/', ':' and {…} interpolations"};
template <> inline constexpr error_message error_for<value_word_end>{"unexpected character in a name or value (allowed: letters, digits, '_', '-', '.', '/', ':' and {…} interpolations)", anchor::at_character};
template <> inline constexpr error_message error_for<standalone_variable_name>{"expected a loop variable name: letters, digits and '_', not starting with a digit"};
template <> inline constexpr error_message error_for<standalone_range_text>{"expected a range like 1..110"};
// clang-format on

static_assert(max_nesting == 32, "update the 'at most' in the nesting messages");

}  // namespace podnetc::grammar
