// Front ends: a topology file in either syntax to the one AST.
#pragma once

#include "compiler/syntax/ast.hpp"
#include "compiler/base/diagnostics.hpp"
#include "compiler/base/source.hpp"

namespace podnetc {

// The .pnet language (grammar/pnet.hpp). On a syntax error the parser reports it,
// skips to the next statement and goes on, so every syntax error of a file is
// reported in one run; the returned tree holds what could be parsed.
ast::File parse_pnet(const SourceSet& sources, FileId file, Diagnostics& diagnostics);

// The TOML twin, read with TOML++; lowers to the identical IR.
ast::File parse_toml(const SourceSet& sources, FileId file, Diagnostics& diagnostics);

// By extension: ".toml" is TOML, anything else is .pnet.
ast::File parse_topology(const SourceSet& sources, FileId file, Diagnostics& diagnostics);

}  // namespace podnetc
