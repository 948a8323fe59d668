// Single .pnet values parsed outside a .pnet file: the TOML front end reads names,
// option values, `var` and `range` from TOML strings with the .pnet grammar, so
// "pod-{i}" means the same and fails with the same messages in both syntaxes.
//
// `origin` is where the text was written. When origin.length == text.size(), text
// is the file's own bytes at origin and every range (and error) is exact; otherwise
// (a TOML string written with escapes) everything points at origin as a whole.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/syntax/ast.hpp"
#include "compiler/base/diagnostics.hpp"
#include "compiler/base/source.hpp"

namespace podnetc {

// A word such as "pod-{i:03}"; nullopt (with an error reported) when malformed.
std::optional<ast::Word> parse_word_text(std::string_view text, SourceRange origin,
                                         Diagnostics& diagnostics);

// A loop variable name; false (with an error reported) when malformed.
bool check_loop_variable_text(std::string_view text, SourceRange origin, Diagnostics& diagnostics);

// "FIRST..LAST" of a loop.
struct ParsedRange {
    std::int64_t first = 0;
    std::int64_t last = 0;
    SourceRange range;
};
std::optional<ParsedRange> parse_range_text(std::string_view text, SourceRange origin,
                                            Diagnostics& diagnostics);

}  // namespace podnetc
