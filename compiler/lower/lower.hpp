// Lowering: AST -> checked IR of one node, with every semantic check of the
// language (see docs/LANGUAGE.md, "Checks"). All problems of the file are reported,
// not only the first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/syntax/ast.hpp"
#include "compiler/base/diagnostics.hpp"
#include "compiler/ir/ir.hpp"

namespace podnetc {

struct LowerOptions {
    // The node to lower. Ignored for a file without node blocks (its IR has node "").
    // For a file with node blocks it must name one of them.
    std::string node;
    // Where `node` came from, for the message when it names no node of the file.
    bool node_from_hostname = false;
    // More loop iterations than this stop the expansion with an error (a typo such
    // as `for i in 1..1000000000` must not eat the machine).
    std::uint64_t max_loop_iterations = 4'000'000;
};

// The IR of the selected node, or nullopt when there were errors.
std::optional<ir::NodeIr> lower(const ast::File& file, const LowerOptions& options,
                                Diagnostics& diagnostics);

// The names of the file's node blocks in file order (empty: a single-node file).
std::vector<std::string> node_names(const ast::File& file);

// Checks every node of the file (each node's declarations, plus those shared by all),
// reporting each problem once. Used by `podnetc check`.
void check_all_nodes(const ast::File& file, Diagnostics& diagnostics);

}  // namespace podnetc
