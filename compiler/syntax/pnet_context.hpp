// What every parser state shares while one text is parsed with the .pnet grammar:
// where the text lies in its file (to make SourceRanges) and where errors go.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/diagnostics.hpp"
#include "compiler/base/source.hpp"
#include "grammar/pnet_errors.hpp"

namespace podnetc {

class ParseContext {
public:
    // A whole .pnet file.
    ParseContext(FileId file, std::string_view text, Diagnostics& diagnostics);
    // A piece of text from somewhere in a file (a TOML string). When origin covers
    // exactly text.size() bytes, text is the file's own bytes there and ranges are
    // exact; otherwise (escapes) every range is origin as a whole.
    ParseContext(std::string_view text, SourceRange origin, Diagnostics& diagnostics);

    std::string_view text() const { return text_; }
    SourceRange range(const char* begin, const char* end) const;
    Diagnostics& diagnostics() { return diagnostics_; }

    void error(const char* begin, const char* end, std::string message);
    // A failed must<>/raise<>: the message of the rule, placed per its anchor.
    void syntax_error(const char* where, const grammar::error_message& message);

    // Networks left out of the tree after a syntax error (ast::File::broken_networks).
    void network_left_out(std::string name) { broken_networks_.push_back(std::move(name)); }
    std::vector<std::string> take_broken_networks() { return std::move(broken_networks_); }

private:
    const char* token_end(const char* begin) const;
    const char* previous_token_begin(const char* where, const char** end) const;

    FileId file_ = 0;
    std::string_view text_;
    std::uint32_t base_offset_ = 0;
    bool exact_ = true;
    SourceRange origin_;
    Diagnostics& diagnostics_;
    std::vector<std::string> broken_networks_;
};

// A non-negative decimal integer; nullopt when it does not fit in int64.
std::optional<std::int64_t> parse_decimal(std::string_view digits);

}  // namespace podnetc
