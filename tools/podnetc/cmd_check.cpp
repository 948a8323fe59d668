#include "compiler/lower/lower.hpp"
#include "tools/podnetc/command.hpp"
#include "tools/podnetc/exit_codes.hpp"
#include "tools/podnetc/reporter.hpp"
#include "tools/podnetc/topology.hpp"

namespace podnetc::cli {
namespace {

int run_check(const Args& args) {
    Reporter reporter(args);
    CommandResult result("check");
    SourceSet sources;  // one for every file: the JSON document points into all of them
    int status = exit_code::ok;
    for (const std::string& path : args.positional()) {
        result.files.push_back(path);
        Diagnostics diagnostics;
        const auto file = read_topology(path, sources, diagnostics, reporter);
        if (!file) {
            status = exit_code::error;
            continue;
        }
        // Lowered after syntax errors too: what the parser kept is checked, so that
        // every error of the file comes out in one run.
        check_all_nodes(*file, diagnostics);
        reporter.diagnostics(sources, diagnostics);
        if (diagnostics.has_errors()) status = exit_code::error;
    }
    result.outcome = status == exit_code::ok ? "checked" : "errors";
    return reporter.finish(result, sources, status);
}

}  // namespace

const Command& check_command() {
    static const Command command{
        CommandSpec{
            "check",
            "FILE... [--json] [--quiet]",
            "Parse and check topology files (.pnet or .toml); print every error and warning.",
            "Every node of a multi-node file is checked. Exit status: 0 when no file has\n"
            "errors (warnings allowed), 1 otherwise.",
            {kJsonOption, kQuietOption},
            1,
            static_cast<std::size_t>(-1),
        },
        run_check,
    };
    return command;
}

}  // namespace podnetc::cli
