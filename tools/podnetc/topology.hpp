// Reading topology files for a command: file -> AST -> IR of the selected node,
// with diagnostics printed to stderr.
#pragma once

#include <optional>
#include <string>

#include "compiler/syntax/ast.hpp"
#include "compiler/base/diagnostics.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/base/source.hpp"
#include "tools/podnetc/cli_args.hpp"
#include "tools/podnetc/reporter.hpp"

namespace podnetc::cli {

// Reads and parses one file. nullopt if it cannot be read (reported); syntax errors
// are in `diagnostics` and the (partial) tree is still returned.
std::optional<ast::File> read_topology(const std::string& path, SourceSet& sources, Diagnostics& diagnostics,
                                       Reporter& reporter);

// The node a command works on: --node, else $PODNETC_NODE, else the hostname.
struct NodeChoice {
    std::string name;
    bool from_hostname = false;
};
NodeChoice choose_node(const Args& args);

// Everything up to the IR of the chosen node. Reports diagnostics (warnings too);
// nullopt when there were errors.
std::optional<ir::NodeIr> compile_topology(const std::string& path, const Args& args, SourceSet& sources,
                                           Reporter& reporter);

}  // namespace podnetc::cli
