// A topology file from disk to the IR of one node: read, parse, lower, with every
// diagnostic kept (syntax errors do not stop lowering: what the parser kept is
// lowered too, so that every error of the file is reported at once). Prints
// nothing: the command line renders the diagnostics to stderr, the agent logs them.
#pragma once

#include <optional>
#include <string>

#include "compiler/base/diagnostics.hpp"
#include "compiler/base/source.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/lower/lower.hpp"

namespace podnetc {

struct CompiledFile {
    std::optional<std::string> unreadable;  // why the file could not be read at all
    std::optional<ir::NodeIr> node;         // nullopt when unreadable or with errors
    Diagnostics diagnostics;                // sorted by location
};

// The file is added to `sources`, which its diagnostics and IR ranges point into.
CompiledFile compile_file(const std::string& path, const LowerOptions& options, SourceSet& sources);

}  // namespace podnetc
