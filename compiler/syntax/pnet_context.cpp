#include "compiler/syntax/pnet_context.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

namespace podnetc {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Length of the UTF-8 sequence a byte starts (1 for anything malformed).
std::size_t utf8_length(unsigned char lead) {
    if (lead >= 0xF0 && lead < 0xF8) return 4;
    if (lead >= 0xE0) return lead < 0xF0 ? 3 : 1;
    if (lead >= 0xC0) return 2;
    return 1;
}

// Token text for a message: printable ASCII kept, anything else escaped.
std::string printable(std::string_view token) {
    std::string out;
    for (const char c : token) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7F) {
            out += c;
        } else {
            out += fmt::format("\\x{:02x}", byte);
        }
    }
    return out;
}

}  // namespace

ParseContext::ParseContext(FileId file, std::string_view text, Diagnostics& diagnostics)
    : file_(file), text_(text), diagnostics_(diagnostics) {}

ParseContext::ParseContext(std::string_view text, SourceRange origin, Diagnostics& diagnostics)
    : file_(origin.file),
      text_(text),
      base_offset_(origin.offset),
      exact_(origin.length == text.size()),
      origin_(origin),
      diagnostics_(diagnostics) {}

SourceRange ParseContext::range(const char* begin, const char* end) const {
    if (!exact_) return origin_;
    const auto offset = static_cast<std::uint32_t>(begin - text_.data());
    return SourceRange{file_, base_offset_ + offset, static_cast<std::uint32_t>(end - begin)};
}

void ParseContext::error(const char* begin, const char* end, std::string message) {
    diagnostics_.error(range(begin, end), std::move(message));
}

const char* ParseContext::token_end(const char* begin) const {
    const char* const end = text_.data() + text_.size();
    if (begin == end || *begin == '\n') return begin;
    const char* p = begin;
    if (grammar::is_word_char(*p)) {
        while (p != end && grammar::is_word_char(*p)) ++p;
        return p;
    }
    const std::size_t length = utf8_length(static_cast<unsigned char>(*p));
    return p + std::min<std::size_t>(length, static_cast<std::size_t>(end - p));
}

const char* ParseContext::previous_token_begin(const char* where, const char** end) const {
    const char* const begin = text_.data();
    const char* p = where;
    while (p != begin && is_blank(p[-1])) --p;
    *end = p;
    if (p == begin) return p;
    if (!grammar::is_word_char(p[-1])) return p - 1;
    while (p != begin && grammar::is_word_char(p[-1])) --p;
    return p;
}

void ParseContext::syntax_error(const char* where, const grammar::error_message& message) {
    // Point at the offending token, not at the blanks before it, and count the
    // invisible CR of a CRLF as part of the line end.
    const char* const text_end = text_.data() + text_.size();
    if (message.where != grammar::anchor::at_character) {
        while (where != text_end && is_blank(*where)) ++where;
    }
    if (where != text_end && *where == '\n' && where != text_.data() && where[-1] == '\r') --where;

    const char* begin = where;
    const char* end = token_end(where);
    switch (message.where) {
        case grammar::anchor::at_error:
        case grammar::anchor::at_character:
            break;
        case grammar::anchor::previous_token:
            begin = previous_token_begin(where, &end);
            break;
        case grammar::anchor::open_brace:
            for (const char* p = where; p != text_.data();) {
                --p;
                if (*p == '{') {
                    begin = p;
                    end = p + 1;
                    break;
                }
            }
            break;
    }

    std::string text(message.text);
    constexpr std::string_view placeholder = "{prev}";
    if (const auto at = text.find(placeholder); at != std::string::npos) {
        const char* previous_end = nullptr;
        const char* previous = previous_token_begin(where, &previous_end);
        text.replace(at, placeholder.size(),
                     printable(std::string_view(previous, static_cast<std::size_t>(previous_end - previous))));
    }
    error(begin, end, std::move(text));
}

std::optional<std::int64_t> parse_decimal(std::string_view digits) {
    std::int64_t value = 0;
    for (const char c : digits) {
        const int digit = c - '0';
        if (value > (std::numeric_limits<std::int64_t>::max() - digit) / 10) return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

}  // namespace podnetc
