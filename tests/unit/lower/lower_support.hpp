// Helpers of the lowering tests: lower a text, render diagnostics and the IR in a
// compact, readable form that tests compare exactly.
#pragma once

#include <optional>
#include <string>

#include "compiler/base/diagnostics.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/base/source.hpp"

namespace podnetc::test {

struct Lowered {
    SourceSet sources;
    Diagnostics diagnostics;
    std::optional<ir::NodeIr> ir;

    // Every diagnostic as the CLI prints it (sorted by location), "" when none.
    std::string messages();
    // One line per diagnostic and note, without source excerpts:
    // "3:34 error: message" / "  1:32 note: message" / "  note: message".
    std::string summary();
};

std::string summarize(const SourceSet& sources, Diagnostics& diagnostics);

// Parses `text` as t.pnet and lowers it for `node`.
Lowered lower_text(const std::string& text, const std::string& node = "", bool node_from_hostname = false);
// Parses `text` as t.pnet and runs check_all_nodes; returns summarize()'s lines.
std::string check_text(const std::string& text);

// One line per kernel object, in IR order.
std::string render_kernel(const ir::NodeIr& node);
// One line per network, pod and attachment, in IR order.
std::string render_model(const ir::NodeIr& node);

}  // namespace podnetc::test
