// Test-only stand-in for the .pnet parser (which is written in parallel): reads
// the subset of the language the lowering tests use into the same AST, with real
// source ranges, so that tests can be written as text now and switch to
// parse_pnet() by changing one call. It reports nothing: malformed input throws.
//
// Covered: network / pod / interface lines, options (flags `adopt` and
// `default-route` take no value), `{ … }` blocks, `for V in A..B { … }`,
// `node N { … }`, `;` and newlines, `#` comments, words with {expr} and {expr:0N}.
// A `{` starts a block only when followed by whitespace or the end of the line.
#pragma once

#include <string>

#include "compiler/ast.hpp"
#include "compiler/source.hpp"

namespace podnetc::test {

ast::File mini_parse(const SourceSet& sources, FileId file);

}  // namespace podnetc::test
