#include <chrono>
#include <cstdio>

#include <fmt/format.h>

#include "compiler/base/text_format.hpp"
#include "compiler/steps/plan_describe.hpp"
#include "compiler/steps/plan_summary.hpp"
#include "compiler/plan_io/plan_output.hpp"
#include "compiler/plan/planner.hpp"
#include "runtime/state/applied_record_store.hpp"
#include "runtime/apply/apply_report.hpp"
#include "tools/podnetc/command.hpp"
#include "tools/podnetc/exit_codes.hpp"
#include "tools/podnetc/live_input.hpp"
#include "tools/podnetc/terminal.hpp"
#include "tools/podnetc/topology.hpp"
#include "tools/podnetc/output_text.hpp"
#include "tools/podnetc/transaction_report.hpp"

namespace podnetc::cli {
namespace {

int run_destroy(const Args& args) {
    const auto started = std::chrono::steady_clock::now();
    const auto settings = transaction_settings(args);
    if (!settings) return exit_code::usage;
    SourceSet sources;
    const std::string file = args.positional()[0];
    const auto declared = compile_topology(file, args, sources);
    if (!declared) return exit_code::error;

    int status = exit_code::ok;
    auto opened = open_node(*settings, declared->node, status);
    if (!opened) return status;
    rt::Session& session = opened->session;
    const live::State& before = opened->before;
    const plan::Plan plan = plan::make_destroy_plan(*declared, before);
    if (!plan.conflicts.empty()) {
        // The whole plan, so that the conflicts are seen with what they block.
        const std::string text = plan::to_text(plan, sources, plan::TextOptions{use_color(stderr), true});
        std::fwrite(text.data(), 1, text.size(), stderr);
        fmt::print(stderr, "podnetc: error: the destroy plan has conflicts; nothing was changed\n");
        return exit_code::error;
    }
    if (plan.empty()) {
        fmt::print("Nothing to destroy: podnetc owns nothing on this node.\n");
        if (auto removed = rt::remove_applied_record(session.state_dir, declared->node); !removed) {
            fmt::print(stderr, "podnetc: warning: {}\n", removed.error().message);
        }
        return exit_code::ok;
    }
    fmt::print("{}\n", plan::summary_line(plan::count(plan)));
    std::fflush(stdout);

    rt::TransactionRequest request;
    request.command = fmt::format("destroy {}", file);
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
    if (const int destroyed = run_and_report(session, std::move(request)); destroyed != exit_code::ok) return destroyed;

    std::size_t namespaces = 0;
    for (const plan::Op& op : plan.ops) namespaces += op.step.kind() == plan::StepKind::delete_netns ? 1 : 0;
    fmt::print("Destroyed everything podnetc owned on the node in {}: {}, {}.\n", elapsed_text(started),
               plural(plan.ops.size(), "operation"), plural(namespaces, "namespace"));
    return exit_code::ok;
}

}  // namespace

const Command& destroy_command() {
    static const Command command{
        CommandSpec{
            "destroy",
            "FILE [--node NAME] [--lock-timeout S]",
            "Remove everything podnetc owns on the node, as one transaction.",
            "  One group delete per namespace (every owned link in one message), then the\n"
            "  owned routes, neighbours and addresses left elsewhere, then the namespaces.\n"
            "  Objects podnetc did not create stay; one that a deletion would take along is\n"
            "  a conflict. Same journal, rollback and exit statuses as apply.",
            {
                {"--node", "NAME", "the node (default: $PODNETC_NODE, else the hostname)"},
                {"--lock-timeout", "S", "wait at most S seconds for the node lock (default 60)"},
            },
            1,
            1,
        },
        run_destroy,
    };
    return command;
}

}  // namespace podnetc::cli
