#include <algorithm>
#include <chrono>
#include <cstdio>

#include <fmt/format.h>

#include "compiler/base/text_format.hpp"
#include "compiler/steps/plan_describe.hpp"
#include "compiler/steps/plan_summary.hpp"
#include "compiler/plan_io/plan_output.hpp"
#include "compiler/plan/deletion_budget.hpp"
#include "compiler/plan/planner.hpp"
#include "compiler/plan/residual.hpp"
#include "runtime/state/applied_record_store.hpp"
#include "runtime/apply/apply_report.hpp"
#include "runtime/probe/connectivity_check.hpp"
#include "runtime/state/state_files.hpp"
#include "tools/podnetc/command.hpp"
#include "tools/podnetc/exit_codes.hpp"
#include "tools/podnetc/live_input.hpp"
#include "tools/podnetc/terminal.hpp"
#include "tools/podnetc/topology.hpp"
#include "tools/podnetc/output_text.hpp"
#include "tools/podnetc/plan_report.hpp"
#include "tools/podnetc/reporter.hpp"
#include "tools/podnetc/transaction_report.hpp"

namespace podnetc::cli {
namespace {

struct SavedPlan {
    plan::Plan plan;
    std::string path;
};

std::optional<SavedPlan> read_saved_plan(const std::string& path, SourceSet& sources, Reporter& reporter) {
    auto text = rt::read_state_file(path);
    if (!text || !*text) {
        reporter.error(fmt::format("cannot read the plan '{}'{}", path,
                                   text ? std::string(": no such file") : ": " + text.error().message));
        return std::nullopt;
    }
    std::string error;
    auto plan = plan::from_json(**text, sources, error);
    if (!plan) {
        reporter.error(fmt::format("{}: {}", path, error));
        return std::nullopt;
    }
    return SavedPlan{std::move(*plan), path};
}

// The topology a saved plan was made from: the first file its operations point into.
std::optional<std::string> topology_of(const plan::Plan& plan, const SourceSet& sources) {
    for (const plan::Op& op : plan.ops) {
        if (op.source.known()) return sources.file(op.source.file).path();
    }
    return std::nullopt;
}

std::size_t count_pods(const ir::NodeIr& ir) { return ir.pods.size(); }

std::optional<plan::DeletionLimit> deletion_limit(const Args& args, Reporter& reporter) {
    const auto text = args.value("--max-delete");
    if (!text) return plan::default_deletion_limit;
    std::string error;
    auto limit = plan::parse_deletion_limit(*text, error);
    if (!limit) reporter.error(error);
    return limit;
}

// Refuses, as a whole, a plan that deletes more owned pods than the budget allows.
bool refuse_over_budget(const plan::Plan& plan, const live::State& before, const plan::DeletionLimit& limit,
                        const std::string& file, Reporter& reporter) {
    const auto exceeded = plan::check_deletion_budget(plan, plan::owned_pods(before), limit);
    if (!exceeded) return false;
    reporter.error(fmt::format("applying {} {}; nothing was changed.\n"
                               "  To delete them on purpose: apply --max-delete {} (or a percentage, e.g. 100%).",
                               file, plan::describe(*exceeded, limit), exceeded->pods.size()));
    return true;
}

// A file without pods that would empty a node is far more often a wrong path or a
// truncated file than a wish: `destroy` (or --allow-empty) says it on purpose.
bool refuse_emptying(const ir::NodeIr& desired, const plan::Plan& plan, const std::string& file,
                     const Args& args, Reporter& reporter) {
    if (args.flag("--allow-empty")) return false;
    const std::vector<std::string> removed = plan::pods_emptied(desired, plan);
    if (removed.empty()) return false;
    reporter.error(fmt::format("{} declares no pods, and applying it would delete all {} podnetc owns on "
                               "the node ({}); nothing was changed.\n"
                               "  To remove them on purpose: podnetc destroy, or apply --allow-empty.",
                               file, plural(removed.size(), "pod"), first_names(removed, 5)));
    return true;
}

int apply(const Args& args, Reporter& reporter, CommandResult& result, SourceSet& sources) {
    const auto started = std::chrono::steady_clock::now();
    const auto settings = transaction_settings(args, reporter);
    if (!settings) return exit_code::usage;
    const auto limit = deletion_limit(args, reporter);
    if (!limit) return exit_code::usage;

    std::optional<SavedPlan> saved;
    std::string file;
    if (const auto plan_path = args.value("--plan")) {
        saved = read_saved_plan(*plan_path, sources, reporter);
        if (!saved) return exit_code::error;
        if (!args.positional().empty()) {
            file = args.positional()[0];
        } else if (const auto from = topology_of(saved->plan, sources)) {
            file = *from;
        } else {
            reporter.error(fmt::format("the plan names no topology file; give it: podnetc apply FILE --plan {}",
                                       *plan_path));
            return exit_code::usage;
        }
    } else if (args.positional().empty()) {
        reporter.error("apply needs a topology FILE (or --plan PLAN)");
        return exit_code::usage;
    } else {
        file = args.positional()[0];
    }
    if (args.flag("--timings")) result.timings.emplace();
    const auto lap = [&](const char* phase) {
        if (result.timings) result.timings->lap(phase);
    };
    const auto desired = compile_topology(file, args, sources, reporter);
    if (!desired) return exit_code::error;
    result.node = desired->node;
    lap("compile");

    int status = exit_code::ok;
    auto opened = open_node(*settings, desired->node, reporter, status);
    if (!opened) return status;
    rt::Session& session = opened->session;
    const live::State& before = opened->before;
    lap("lock, recover, read");
    result.plan = plan::make_plan(*desired, before);
    lap("plan");
    plan::Plan& plan = *result.plan;
    if (const NodeChoice choice = choose_node(args); plan.node.empty() && !choice.from_hostname) plan.node = choice.name;
    result.outcome = "refused";

    if (saved) {
        if (saved->plan.state_fingerprint != plan.state_fingerprint) {
            reporter.error(fmt::format("the node changed since {} was made (state {} then, {} now); nothing was "
                                       "changed. Make a new plan.",
                                       saved->path, saved->plan.state_fingerprint, plan.state_fingerprint));
            return exit_code::error;
        }
        if (plan::to_json(saved->plan, sources) != plan::to_json(plan, sources)) {
            reporter.error(fmt::format("{} no longer gives the plan in {} (the file changed since); nothing was "
                                       "changed. Make a new plan.",
                                       file, saved->path));
            return exit_code::error;
        }
    }
    if (!plan.conflicts.empty()) {
        report_conflicts(plan, sources, reporter, "the plan has conflicts; nothing was changed");
        return exit_code::error;
    }
    if (refuse_emptying(*desired, plan, file, args, reporter)) return exit_code::error;
    if (!desired->pods.empty() && refuse_over_budget(plan, before, *limit, file, reporter)) return exit_code::error;
    if (plan.empty()) {
        result.outcome = "no_changes";
        reporter.result(fmt::format("No changes. The node matches {}.\n", file));
        if (auto stored = rt::refresh_applied_record(session.state_dir, desired->node, plan::applied_record(*desired),
                                                     before.last_applied);
            !stored) {
            reporter.warning(stored.error().message);
        }
        return exit_code::ok;
    }
    print_plan(plan, sources, reporter);

    const bool probe = args.flag("--verify");
    std::size_t probes = 0;
    std::chrono::steady_clock::duration probing{};
    rt::TransactionRequest request;
    request.command = fmt::format("apply {}", file);
    request.node = desired->node;
    request.plan = &plan;
    request.before = &before;
    request.sources = &sources;
    request.faults = settings->faults;
    request.verify = [&](const live::State& after) -> rt::Result<std::vector<std::string>> {
        std::vector<std::string> problems = plan::residual_problems(*desired, after);
        if (!problems.empty() || !probe) return problems;
        const auto probe_start = std::chrono::steady_clock::now();
        probes = rt::connectivity_probes(*desired, after).size();
        auto failed = rt::check_connectivity(*desired, after);
        probing = std::chrono::steady_clock::now() - probe_start;
        return failed;
    };
    request.record = plan::applied_record(*desired);
    const int applied = run_and_report(session, std::move(request), reporter, result);
    result.milliseconds = milliseconds_since(started);
    if (result.timings && !reporter.quiet()) reporter.block(result.timings->table(), false);
    if (probe && result.verification) result.verification->probes = probes;
    if (applied != exit_code::ok) return applied;

    const std::size_t pods = count_pods(*desired);
    // The probes' time is reported on its own: it is mostly waiting for replies.
    reporter.result(fmt::format("Applied {} in {}: {}.\n", plural(plan.ops.size(), "operation"),
                                seconds_text(std::chrono::steady_clock::now() - started - probing),
                                plural(pods, "pod")));
    if (probe) {
        reporter.result(fmt::format("Connectivity verified: {} probes answered in {}.\n", group_thousands(probes),
                                    seconds_text(probing)));
    }
    return exit_code::ok;
}

int run_apply(const Args& args) { return run_reported("apply", args, apply); }

}  // namespace

const Command& apply_command() {
    static const Command command{
        CommandSpec{
            "apply",
            "FILE [--node NAME] [--verify] [--lock-timeout S] [--allow-empty] [--max-delete N|P%] [--timings] [--json] "
            "[--quiet] | "
            "[FILE] --plan PLAN",
            "Make the node match FILE: plan against the live kernel and apply as one transaction.",
            "  The plan's operations go to the kernel in batches (one per namespace). If the\n"
            "  kernel refuses one, nothing more is sent and every operation already applied\n"
            "  is undone, last first; the node is then compared with its state before (exit\n"
            "  3 when it is restored, 4 when it could not be). After a complete apply, a\n"
            "  fresh plan must be empty (and with --verify, every pod must reach its gateway\n"
            "  and its peers), else that is undone too. A journal in $PODNETC_STATE_DIR\n"
            "  (default /run/podnetc) lets the next podnetc undo an apply that was killed.\n"
            "  One apply at a time per node: a second one waits for the node lock.\n"
            "  --plan applies a plan saved by `plan --out`, if the node and FILE (by default\n"
            "  the file the plan points into) still give exactly that plan.\n"
            "  A FILE that declares no pods is refused while the node has pods podnetc owns\n"
            "  (a wrong path or a truncated file would delete them all): use `destroy`, or\n"
            "  --allow-empty. A plan that deletes more owned pods than --max-delete allows\n"
            "  (default 25% of the owned pods, at least one) is refused as a whole.\n"
            "  Exit status: 0 applied (or nothing to do), 1 error or conflicts (nothing\n"
            "  changed), 3 failed and rolled back, 4 rollback incomplete, 5 lock timeout.",
            {
                {"--node", "NAME", "the node to apply (default: $PODNETC_NODE, else the hostname)"},
                {"--verify", "", "also probe connectivity (ICMP from inside the pods) before committing"},
                {"--lock-timeout", "S", "wait at most S seconds for the node lock (default 60)"},
                {"--plan", "PLAN", "apply this saved plan (written by `podnetc plan --out`)"},
                {"--allow-empty", "", "apply a FILE without pods even if that deletes every owned pod"},
                {"--max-delete", "N|P%", "delete at most N owned pods (or P% of them) in one apply (default 25%)"},
                kTimingsOption,
                kJsonOption,
                kQuietOption,
            },
            0,
            1,
        },
        run_apply,
    };
    return command;
}

}  // namespace podnetc::cli
