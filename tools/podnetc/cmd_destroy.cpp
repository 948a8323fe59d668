#include <chrono>
#include <cstdio>

#include <fmt/format.h>

#include "compiler/base/text_format.hpp"
#include "compiler/steps/plan_describe.hpp"
#include "compiler/plan/planner.hpp"
#include "runtime/state/applied_record_store.hpp"
#include "tools/podnetc/command.hpp"
#include "tools/podnetc/exit_codes.hpp"
#include "tools/podnetc/output_text.hpp"
#include "tools/podnetc/plan_report.hpp"
#include "tools/podnetc/reporter.hpp"
#include "tools/podnetc/terminal.hpp"
#include "tools/podnetc/topology.hpp"
#include "tools/podnetc/transaction_report.hpp"

namespace podnetc::cli {
namespace {

// The node to destroy: FILE's (FILE only selects the node; what it declares does
// not matter), or --node's alone. No FILE and no --node is refused: the hostname
// is never a silent default for removing everything.
std::optional<ir::NodeIr> node_to_destroy(const Args& args, SourceSet& sources, Reporter& reporter, int& status) {
    if (!args.positional().empty()) {
        auto declared = compile_topology(args.positional()[0], args, sources, reporter);
        if (!declared) status = exit_code::error;
        return declared;
    }
    if (!args.value("--node")) {
        reporter.error("destroy needs a topology FILE or --node NAME");
        status = exit_code::usage;
        return std::nullopt;
    }
    ir::NodeIr node;
    node.node = *args.value("--node");
    return node;
}

int destroy(const Args& args, Reporter& reporter, CommandResult& result, SourceSet& sources) {
    const auto started = std::chrono::steady_clock::now();
    const bool ask = !args.flag("--yes");
    if (ask && !stdin_is_terminal()) {
        reporter.error("destroy removes everything podnetc owns on the node; without a terminal to ask, it needs "
                       "--yes (nothing was changed)");
        return exit_code::usage;
    }
    const auto settings = transaction_settings(args, reporter);
    if (!settings) return exit_code::usage;
    int status = exit_code::ok;
    const auto declared = node_to_destroy(args, sources, reporter, status);
    if (!declared) return status;
    result.node = declared->node;

    auto opened = open_node(*settings, declared->node, reporter, status);
    if (!opened) return status;
    rt::Session& session = opened->session;
    const live::State& before = opened->before;
    result.plan = plan::make_destroy_plan(*declared, before);
    const plan::Plan& plan = *result.plan;
    result.outcome = "refused";
    if (!plan.conflicts.empty()) {
        report_conflicts(plan, sources, reporter, "the destroy plan has conflicts; nothing was changed");
        return exit_code::error;
    }
    if (plan.empty()) {
        result.outcome = "no_changes";
        reporter.result("Nothing to destroy: podnetc owns nothing on this node.\n");
        if (auto removed = rt::remove_applied_record(session.state_dir, declared->node); !removed) {
            reporter.warning(removed.error().message);
        }
        return exit_code::ok;
    }
    const std::string node = declared->node.empty() ? std::string("this node") : "node " + declared->node;
    reporter.result(fmt::format("Destroy removes everything podnetc owns on {}, whatever the file declares:\n", node));
    print_plan(plan, sources, reporter);
    if (ask && !confirmed(fmt::format("Destroy all of it on {}?", node))) {
        reporter.error("destroy cancelled; nothing was changed");
        return exit_code::error;
    }

    rt::TransactionRequest request;
    request.command = args.positional().empty() ? fmt::format("destroy --node {}", declared->node)
                                                : fmt::format("destroy {}", args.positional()[0]);
    request.node = declared->node;
    request.plan = &plan;
    request.before = &before;
    request.sources = &sources;
    request.faults = settings->faults;
    request.verify = [&](const live::State& after) -> rt::Result<std::vector<std::string>> {
        std::vector<std::string> problems;
        for (const plan::Op& op : plan::make_destroy_plan(*declared, after).ops) {
            problems.push_back(fmt::format("still to do: {}", plan::describe_action(op.step)));
        }
        return problems;
    };
    request.record = std::nullopt;  // a destroyed node has no applied record
    const int destroyed = run_and_report(session, std::move(request), reporter, result);
    result.milliseconds = milliseconds_since(started);
    if (destroyed != exit_code::ok) return destroyed;

    std::size_t namespaces = 0;
    for (const plan::Op& op : plan.ops) namespaces += op.step.kind() == plan::StepKind::delete_netns ? 1 : 0;
    reporter.result(fmt::format("Destroyed everything podnetc owned on the node in {}: {}, {}.\n", elapsed_text(started),
                                plural(plan.ops.size(), "operation"), plural(namespaces, "namespace")));
    return exit_code::ok;
}

int run_destroy(const Args& args) { return run_reported("destroy", args, destroy); }

}  // namespace

const Command& destroy_command() {
    static const Command command{
        CommandSpec{
            "destroy",
            "FILE [--node NAME] [--yes] [--lock-timeout S] [--json] [--quiet] | --node NAME [--yes] ...",
            "Remove everything podnetc owns on the node, as one transaction.",
            "  Everything podnetc owns on the node goes, whatever FILE declares: FILE only\n"
            "  selects the node (without FILE, --node names it). destroy lists what goes and\n"
            "  asks on a terminal; --yes skips the question, and without a terminal (scripts,\n"
            "  CI) --yes is required: without it destroy changes nothing and exits 64.\n"
            "  One group delete per namespace (every owned link in one message), then the\n"
            "  owned routes, neighbours and addresses left elsewhere, then the namespaces.\n"
            "  Objects podnetc did not create stay; one that a deletion would take along is\n"
            "  a conflict. Same journal, rollback and exit statuses as apply; 1 when the\n"
            "  question is not answered 'yes'.",
            {
                {"--node", "NAME", "the node (default with FILE: $PODNETC_NODE, else the hostname)"},
                {"--yes", "", "do not ask for confirmation (required when stdin is not a terminal)"},
                {"--lock-timeout", "S", "wait at most S seconds for the node lock (default 60)"},
                kJsonOption,
                kQuietOption,
            },
            0,
            1,
        },
        run_destroy,
    };
    return command;
}

}  // namespace podnetc::cli
