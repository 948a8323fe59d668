// Custom PEGTL rules for error recovery and for bounded nesting.
//
// How recovery works: every rule reached through must<> or raise<> has a message
// (pnet_errors.hpp). The parser's control reports that message and then throws
// statement_abandoned. recoverable<Statement> catches it, rewinds to the start of
// the statement and skips the statement's text with skip_statement, so parsing
// goes on with the next statement at the same nesting level: a file with three
// broken lines yields three errors, and nothing of a broken statement reaches the
// tree (its builder state is simply dropped). When the failed attempt got further
// than that skip (it parsed a whole block, then failed after it), skipping goes on
// from where the error was: text already parsed is never parsed again, which would
// report its errors again and, with nested blocks, take exponential time.
#pragma once

#include <cstddef>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

#include "grammar/pnet_keywords.hpp"

namespace podnetc::grammar {

// Thrown after a syntax error has been reported, with where it was reported.
struct statement_abandoned {
    const char* at = nullptr;
};

// Skips one statement from its start: to the newline or ';' that ends it, or to
// (not over) the '}' that closes the enclosing block. A '{' that does not follow
// a word character opens a block, which is skipped up to its matching '}', across
// lines; one that follows a word character is an interpolation, skipped to its
// '}' or to the end of the line. Comments are skipped whole. A block that opens
// on a line of its own right after the statement belongs to it (a header whose
// '{' slipped to the next line) and is skipped too, so one mistake is one error.
// Iterative, so a million nested braces cost no stack.
struct skip_statement {
    using rule_t = skip_statement;
    using subs_t = tao::pegtl::empty_list;

    // The first character after blanks, newlines and comments.
    static const char* next_content(const char* p, const char* end) {
        while (p != end) {
            if (*p == '#') {
                while (p != end && *p != '\n') ++p;
            } else if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
                ++p;
            } else {
                break;
            }
        }
        return p;
    }

    template <typename ParseInput>
    [[nodiscard]] static bool match(ParseInput& in) {
        const char* const begin = in.current();
        const char* const end = in.end();
        const char* p = begin;
        std::size_t depth = 0;
        while (p != end) {
            const char c = *p;
            if (c == '#') {
                while (p != end && *p != '\n') ++p;
            } else if (c == '\n' && depth == 0) {
                const char* next = next_content(p, end);
                if (next == end || *next != '{') break;
                p = next;
            } else if (c == ';' && depth == 0) {
                break;
            } else if (c == '}') {
                if (depth == 0) break;
                --depth;
                ++p;
            } else if (c == '{' && p != begin && is_word_char(p[-1])) {
                while (p != end && *p != '}' && *p != '\n') ++p;
                if (p != end && *p == '}') ++p;
            } else {
                if (c == '{') ++depth;
                ++p;
            }
        }
        if (p == begin) return false;
        in.bump(static_cast<std::size_t>(p - begin));
        return true;
    }
};

template <typename Statement>
struct recoverable {
    using rule_t = recoverable;
    using subs_t = tao::pegtl::type_list<Statement, skip_statement>;

    template <tao::pegtl::apply_mode A, tao::pegtl::rewind_mode M,
              template <typename...> class Action, template <typename...> class Control,
              typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        const char* reached = nullptr;
        {
            auto marker = in.template mark<tao::pegtl::rewind_mode::required>();
            using marker_t = decltype(marker);
            try {
                if (marker(Control<Statement>::template match<A, marker_t::next_rewind_mode, Action, Control>(
                        in, st...))) {
                    return true;
                }
            } catch (const statement_abandoned& abandoned) {
                reached = abandoned.at;
            }
        }  // the marker rewinds to the statement's start
        const bool skipped = skip_statement::match(in);
        if (reached == nullptr || reached <= in.current()) return skipped;
        in.bump(static_cast<std::size_t>(reached - in.current()));
        (void)skip_statement::match(in);
        return true;
    }
};

// Matches Rule one nesting level deeper; beyond max_nesting it raises
// nested<Rule> instead, so that recursion depth stays bounded on any input.
template <typename Rule>
struct nested {
    using rule_t = nested;
    using subs_t = tao::pegtl::type_list<Rule>;

    template <tao::pegtl::apply_mode A, tao::pegtl::rewind_mode M,
              template <typename...> class Action, template <typename...> class Control,
              typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        struct depth_guard {
            std::size_t& depth;
            explicit depth_guard(std::size_t& d) : depth(d) { ++depth; }
            depth_guard(const depth_guard&) = delete;
            depth_guard& operator=(const depth_guard&) = delete;
            ~depth_guard() { --depth; }
        };
        const depth_guard guard(in.private_depth);
        if (in.private_depth > max_nesting) Control<nested>::raise(in, st...);
        return Control<Rule>::template match<A, M, Action, Control>(in, st...);
    }
};

}  // namespace podnetc::grammar

template <typename Name>
struct tao::pegtl::analyze_traits<Name, podnetc::grammar::skip_statement>
    : tao::pegtl::analyze_any_traits<> {};

template <typename Name, typename Statement>
struct tao::pegtl::analyze_traits<Name, podnetc::grammar::recoverable<Statement>>
    : tao::pegtl::analyze_sor_traits<Statement, podnetc::grammar::skip_statement> {};

template <typename Name, typename Rule>
struct tao::pegtl::analyze_traits<Name, podnetc::grammar::nested<Rule>>
    : tao::pegtl::analyze_seq_traits<Rule> {};
