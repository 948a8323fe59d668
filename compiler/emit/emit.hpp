// Printers of the IR. All output is deterministic: the same IR gives the same bytes.
#pragma once

#include <string>

#include "compiler/ir/ir.hpp"
#include "compiler/base/source.hpp"

namespace podnetc {

// Readable text dump of the lowered IR (`compile --emit ir`). Carries no source
// locations, so that a .pnet file and its TOML twin give byte-identical dumps.
std::string emit_ir_text(const ir::NodeIr& node);

// The IR as JSON (`compile --emit json`), with "source" locations ("file:line:col").
std::string emit_ir_json(const ir::NodeIr& node, const SourceSet& sources);

// A bash script of iproute2 commands that realizes the node from scratch
// (`compile --emit ip`).
std::string emit_ip_script(const ir::NodeIr& node);

// A Graphviz picture of the node (`compile --emit dot`).
std::string emit_dot(const ir::NodeIr& node);

}  // namespace podnetc
