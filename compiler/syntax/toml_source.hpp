// From TOML++ source positions (line and column, the column counted in code
// points) to our byte SourceRanges.
#pragma once

#include <string_view>

#include <toml++/toml.h>

#include "compiler/base/source.hpp"

namespace podnetc {

class TomlSource {
public:
    TomlSource(const SourceFile& source, FileId file) : source_(source), file_(file) {}

    std::uint32_t offset_of(const toml::source_position& position);
    // The region's bytes; a region without an end gets the token at its start.
    SourceRange range_of(const toml::source_region& region);
    SourceRange point(const toml::source_position& position);
    // A string value's characters inside the quotes when the file spells them
    // exactly as the value (no escapes, no line continuation), else the whole
    // quoted token: parse_word_text then knows whether positions are exact.
    SourceRange string_content(SourceRange token, std::string_view value) const;

private:
    const SourceFile& source_;
    FileId file_;
    // The last position converted: most lookups continue on the same line, so the
    // code point walk resumes from here instead of the line's start.
    toml::source_position cursor_{};
    std::uint32_t cursor_offset_ = 0;
};

}  // namespace podnetc
