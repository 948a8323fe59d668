#include <cstdio>

#include <fmt/format.h>

#include "compiler/emit/emit.hpp"
#include "tools/podnetc/command.hpp"
#include "tools/podnetc/exit_codes.hpp"
#include "tools/podnetc/reporter.hpp"
#include "tools/podnetc/topology.hpp"

namespace podnetc::cli {
namespace {

int run_compile(const Args& args) {
    const std::string emit = args.value_or("--emit", "ir");
    if (emit != "ir" && emit != "json" && emit != "ip" && emit != "dot") {
        fmt::print(stderr, "podnetc: error: --emit must be one of ir, json, ip, dot (got '{}')\n", emit);
        return exit_code::usage;
    }
    SourceSet sources;
    Reporter reporter(args);
    const auto node = compile_topology(args.positional()[0], args, sources, reporter);
    if (!node) return exit_code::error;
    std::string out;
    if (emit == "ir") out = emit_ir_text(*node);
    if (emit == "json") out = emit_ir_json(*node, sources);
    if (emit == "ip") out = emit_ip_script(*node);
    if (emit == "dot") out = emit_dot(*node);
    std::fwrite(out.data(), 1, out.size(), stdout);
    return exit_code::ok;
}

}  // namespace

const Command& compile_command() {
    static const Command command{
        CommandSpec{
            "compile",
            "FILE [--node NAME] [--emit ir|json|ip|dot]",
            "Compile a topology file for one node and print the result.",
            "  ir    readable dump of the lowered IR (the default)\n"
            "  json  the IR as JSON, with source locations\n"
            "  ip    a bash script of iproute2 commands that builds the node from scratch\n"
            "  dot   a Graphviz picture of the node (render with: dot -Tsvg)",
            {
                {"--node", "NAME", "the node to compile (default: $PODNETC_NODE, else the hostname)"},
                {"--emit", "FORMAT", "ir, json, ip or dot (default: ir)"},
            },
            1,
            1,
        },
        run_compile,
    };
    return command;
}

}  // namespace podnetc::cli
