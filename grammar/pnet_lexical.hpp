// The .pnet language, part 1: characters, blanks, comments, keywords, words with
// {expr} interpolations, and the integer expressions inside them
// (docs/LANGUAGE.md, "Lexical structure" and "Loops").
#pragma once

#include <tao/pegtl.hpp>

#include "grammar/pnet_keywords.hpp"
#include "grammar/pnet_recovery.hpp"

namespace podnetc::grammar {

using namespace tao::pegtl;

// ---- characters ----------------------------------------------------------------

// One character for which is_word_char (pnet_keywords.hpp) holds.
struct word_char {
    using rule_t = word_char;
    using subs_t = empty_list;

    template <typename ParseInput>
    [[nodiscard]] static bool match(ParseInput& in) {
        if (in.empty() || !is_word_char(in.peek_char())) return false;
        in.bump_in_this_line(1);
        return true;
    }
};
struct identifier_start : ranges<'a', 'z', 'A', 'Z', '_'> {};
struct identifier_char : ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};

// Blanks separate the tokens of one statement; the CR of a CRLF is one of them.
struct blank_char : one<' ', '\t', '\r'> {};
struct sp : star<blank_char> {};
struct comment : seq<one<'#'>, star<not_one<'\n'>>> {};

// Between statements: blank lines, comments and ';' separators.
struct gap : star<sor<blank_char, one<'\n', ';'>, comment>> {};

// What ends a statement; never consumed by the statement itself (used in at<>).
struct statement_end : seq<sp, opt<comment>, sor<one<'\n', ';', '}'>, eof>> {};

// A keyword is an ordinary word in keyword position: `pod` but not `pod-1`.
struct word_boundary : not_at<sor<word_char, one<'{'>>> {};
struct kw_network : seq<TAO_PEGTL_STRING("network"), word_boundary> {};
struct kw_pod : seq<TAO_PEGTL_STRING("pod"), word_boundary> {};
struct kw_for : seq<TAO_PEGTL_STRING("for"), word_boundary> {};
struct kw_node : seq<TAO_PEGTL_STRING("node"), word_boundary> {};
struct kw_cluster : seq<TAO_PEGTL_STRING("cluster"), word_boundary> {};
struct kw_on : seq<TAO_PEGTL_STRING("on"), word_boundary> {};
struct kw_in : seq<TAO_PEGTL_STRING("in"), word_boundary> {};

// ---- expressions inside {…} ----------------------------------------------------

struct number : plus<digit> {};
struct variable : seq<identifier_start, star<identifier_char>> {};

struct expression;
struct inner_expression;  // the expression between parentheses
struct paren_close : one<')'> {};
struct parenthesized_rest : seq<sp, must<inner_expression>, sp, must<paren_close>> {};
struct parenthesized : seq<one<'('>, nested<parenthesized_rest>> {};
struct operand : sor<number, variable, parenthesized> {};

// Left-associative binary operators; each tail combines the two topmost operands.
template <char Op>
struct product_tail : seq<one<Op>, sp, must<operand>> {};
struct product : seq<operand, star<sp, sor<product_tail<'*'>, product_tail<'/'>, product_tail<'%'>>>> {};
template <char Op>
struct sum_tail : seq<one<Op>, sp, must<product>> {};
struct expression : seq<product, star<sp, sor<sum_tail<'+'>, sum_tail<'-'>>>> {};
struct inner_expression : expression {};

// ---- words ------------------------------------------------------------------------

struct literal_text : plus<word_char> {};

// {expr} or {expr:0N}
struct interpolation_expression : expression {};
struct pad_width : seq<one<'0'>, plus<digit>> {};
struct zero_padding : seq<one<':'>, must<pad_width>> {};
struct unterminated_interpolation {};   // error tags for raise<>
struct interpolation_close_expected {};
// No '}' before the statement's line ends: the interpolation was never closed.
struct no_close_on_line : seq<star<not_one<'}', '\n', ';'>>, sor<one<'\n', ';'>, eof>> {};
struct interpolation_close
    : sor<one<'}'>, seq<at<no_close_on_line>, raise<unterminated_interpolation>>,
          raise<interpolation_close_expected>> {};
struct interpolation
    : seq<one<'{'>, sp, must<interpolation_expression>, sp, opt<zero_padding, sp>,
          interpolation_close> {};

// A word: literal runs and interpolations. Every place a word can stand has its own
// rule (derived from name_or_value, below) so that actions know where the word
// goes and error messages can say what was expected.
struct word : plus<sor<literal_text, interpolation>> {};

// ---- options ------------------------------------------------------------------------

struct option_key : seq<ranges<'a', 'z', 'A', 'Z'>, star<word_char>> {};

// A key listed in flag_options (pnet_keywords.hpp): an option without a value.
struct flag_key {
    using rule_t = flag_key;
    using subs_t = empty_list;

    template <typename ParseInput>
    [[nodiscard]] static bool match(ParseInput& in) {
        const char* const begin = in.current();
        const char* const end = in.end();
        const char* p = begin;
        while (p != end && is_word_char(*p)) ++p;
        if (!is_flag_option(std::string_view(begin, static_cast<std::size_t>(p - begin)))) {
            return false;
        }
        in.bump(static_cast<std::size_t>(p - begin));
        return true;
    }
};

// A '{' that ends its line (or an empty `{ }`) opens a block: where a name or a
// value is expected, it is the name or value that is missing, not an
// interpolation that starts a word.
struct block_opener : seq<one<'{'>, sp, sor<one<'\n', '}'>, comment, eof>> {};
struct name_or_value : seq<not_at<block_opener>, word> {};

struct option_value_word : name_or_value {};
struct option_value : seq<plus<blank_char>, option_value_word> {};
struct keyed_option : seq<option_key, must<option_value>> {};
struct option : sor<flag_key, keyed_option> {};

}  // namespace podnetc::grammar

template <typename Name>
struct tao::pegtl::analyze_traits<Name, podnetc::grammar::word_char> : analyze_any_traits<> {};
template <typename Name>
struct tao::pegtl::analyze_traits<Name, podnetc::grammar::flag_key> : analyze_any_traits<> {};
