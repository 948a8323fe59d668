#include <cstdio>

#include <fmt/format.h>

#include "compiler/plan_io/plan_output.hpp"
#include "compiler/plan/planner.hpp"
#include "tools/podnetc/command.hpp"
#include "tools/podnetc/exit_codes.hpp"
#include "runtime/netlink/plan_netlink_text.hpp"
#include "runtime/state/state_files.hpp"
#include "tools/podnetc/live_input.hpp"
#include "tools/podnetc/reporter.hpp"
#include "tools/podnetc/terminal.hpp"
#include "tools/podnetc/topology.hpp"

namespace podnetc::cli {
namespace {

int run_plan(const Args& args) {
    const std::string emit = args.value_or("--emit", args.flag("--json") ? "json" : "text");
    if (emit != "text" && emit != "json" && emit != "netlink") {
        fmt::print(stderr, "podnetc: error: --emit must be text, json or netlink (got '{}')\n", emit);
        return exit_code::usage;
    }
    if (args.flag("--json") && emit != "json") {
        fmt::print(stderr, "podnetc: error: --json and --emit {} contradict each other\n", emit);
        return exit_code::usage;
    }
    SourceSet sources;
    Reporter reporter(false, args.flag("--quiet"));
    const auto node = compile_topology(args.positional()[0], args, sources, reporter);
    if (!node) return exit_code::error;
    const auto live = read_live_state(LiveInput{args.value("--state-from"), std::nullopt, node->node});
    if (!live) {
        fmt::print(stderr, "podnetc: error: {}\n", live.error().message);
        return exit_code::error;
    }
    plan::Plan p = plan::make_plan(*node, *live);
    // A file without node blocks has no node name; name the one chosen explicitly
    // (never the hostname: the same inputs must print the same plan everywhere).
    if (const NodeChoice choice = choose_node(args); p.node.empty() && !choice.from_hostname) p.node = choice.name;

    // Only when it is used: for 500 pods it costs more than planning.
    const std::string json = emit == "json" || args.value("--out") ? plan::to_json(p, sources) : std::string();
    if (reporter.quiet()) {
        // Nothing on stdout: for --detailed-exitcode and --out; conflicts are errors.
        if (!p.conflicts.empty()) {
            const std::string why = plan::to_text(p, sources, plan::TextOptions{use_color(stderr), true});
            std::fwrite(why.data(), 1, why.size(), stderr);
        }
    } else if (emit == "json") {
        std::fwrite(json.data(), 1, json.size(), stdout);
    } else if (emit == "netlink") {
        const std::string text = rt::plan_as_netlink_text(p, *live, &sources);
        std::fwrite(text.data(), 1, text.size(), stdout);
        if (!p.conflicts.empty()) {
            const std::string why = plan::to_text(p, sources, plan::TextOptions{use_color(stderr), true});
            std::fwrite(why.data(), 1, why.size(), stderr);
        }
    } else {
        const std::string text = plan::to_text(p, sources, plan::TextOptions{use_color(stdout), true});
        std::fwrite(text.data(), 1, text.size(), stdout);
    }
    if (!p.conflicts.empty()) {
        if (const auto out = args.value("--out")) fmt::print(stderr, "podnetc: error: the plan has conflicts; {} not written\n", *out);
        return exit_code::error;
    }
    if (const auto out = args.value("--out")) {
        if (auto written = rt::write_state_file(*out, json); !written) {
            fmt::print(stderr, "podnetc: error: {}\n", written.error().message);
            return exit_code::error;
        }
    }
    if (args.flag("--detailed-exitcode") && !p.empty()) return exit_code::changes_pending;
    return exit_code::ok;
}

}  // namespace

const Command& plan_command() {
    static const Command command{
        CommandSpec{
            "plan",
            "FILE [--node NAME] [--json | --emit text|json|netlink] [--detailed-exitcode] [--state-from SNAPSHOT] "
            "[--out PLAN] [--quiet]",
            "Show what apply would change on this node, and why; change nothing.",
            "  Every operation says why it is needed (missing, differs, no longer declared,\n"
            "  drift: changed outside podnetc since the last apply, adopt) and which line of\n"
            "  FILE asks for it. Objects podnetc did not create that stand in the way are\n"
            "  conflicts: reported like compiler errors; the plan cannot be applied.\n"
            "  Exit status: 0 no changes (or changes without --detailed-exitcode), 1 error or\n"
            "  conflicts, 2 changes pending (with --detailed-exitcode).",
            {
                {"--node", "NAME", "the node to plan (default: $PODNETC_NODE, else the hostname)"},
                {"--json", "", "print the plan as JSON (docs/JSON.md, \"Plan\"); the same as --emit json"},
                {"--emit", "FORMAT", "text (default), json, or netlink: every request apply would send, decoded "
                                     "(docs/NETLINK.md)"},
                {"--detailed-exitcode", "", "exit with 2 when the plan is not empty"},
                {"--state-from", "SNAPSHOT", "plan against a snapshot written by `podnetc show --json`, not the kernel"},
                {"--out", "PLAN", "also write the JSON plan (with the state fingerprint) for `apply --plan`"},
                {"--quiet", "", "print nothing but errors (with --detailed-exitcode or --out)"},
            },
            1,
            1,
        },
        run_plan,
    };
    return command;
}

}  // namespace podnetc::cli
