#include "runtime/agent/converge.hpp"

#include <chrono>

#include <fmt/format.h>

#include "compiler/base/text_format.hpp"
#include "compiler/lower/compile_file.hpp"
#include "compiler/objects/ownership.hpp"
#include "compiler/plan/deletion_budget.hpp"
#include "compiler/plan/planner.hpp"
#include "compiler/plan/residual.hpp"
#include "compiler/plan_io/plan_output.hpp"
#include "compiler/steps/plan_describe.hpp"
#include "compiler/steps/plan_summary.hpp"
#include "runtime/apply/apply_report.hpp"
#include "runtime/transaction/pending_recovery.hpp"
#include "runtime/transaction/session.hpp"
#include "runtime/transaction/transaction.hpp"
#include "runtime/watch/file_stamp.hpp"

namespace podnetc::agent {
namespace {

// A rendered diagnostic: its first line is the message, the rest (source line, caret, notes) the detail.
Problem problem_of(const SourceSet& sources, const Diagnostic& diagnostic) {
    std::string text = render(sources, diagnostic, RenderOptions{false});
    const auto newline = text.find('\n');
    Problem problem{diagnostic.severity == Severity::error, text.substr(0, newline), ""};
    if (newline != std::string::npos) problem.detail = text.substr(newline + 1);
    return problem;
}

CycleReport stop(CycleResult result, std::string summary, CycleReport report = {}) {
    report.result = result;
    report.summary = std::move(summary);
    return report;
}

OwnedCounts count_owned(const live::State& state) {
    OwnedCounts counts;
    for (const auto& netns : state.namespaces) counts.namespaces += is_owned(netns) ? 1 : 0;
    for (const auto& link : state.links) counts.links += is_owned(link) ? 1 : 0;
    for (const auto& address : state.addresses) counts.addresses += is_owned(address) ? 1 : 0;
    for (const auto& route : state.routes) counts.routes += is_owned(route) ? 1 : 0;
    for (const auto& neighbor : state.neighbors) counts.neighbors += is_owned(neighbor) ? 1 : 0;
    return counts;
}

std::string drift_word(const plan::Op& op) {
    const std::string action = plan::describe_action(op.step);
    if (op.detail.empty() || action.find(op.detail) != std::string::npos) return action;
    return fmt::format("{} ({})", action, op.detail);
}

CycleReport apply_plan(rt::Session& session, const AgentOptions& options, const ir::NodeIr& desired,
                       const plan::Plan& plan, const live::State& before, const SourceSet& sources,
                       CycleReport report) {
    rt::TransactionRequest request;
    request.command = fmt::format("agent {}", options.file);
    request.node = desired.node;
    request.plan = &plan;
    request.before = &before;
    request.sources = &sources;
    request.faults = options.faults;
    std::optional<OwnedCounts> after_apply;
    request.verify = [&](const live::State& after) -> rt::Result<std::vector<std::string>> {
        after_apply = count_owned(after);
        return plan::residual_problems(desired, after);
    };
    request.record = plan::applied_record(desired);
    const auto started = std::chrono::steady_clock::now();
    const rt::TransactionOutcome outcome = rt::run_transaction(session, request);
    report.apply_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    report.signal = outcome.signal;
    if (outcome.status == rt::TransactionStatus::committed && after_apply) report.owned = after_apply;
    switch (outcome.status) {
    case rt::TransactionStatus::committed:
        for (const rt::SysError& warning : outcome.warnings) {
            report.problems.push_back({false, "applied, but " + warning.message, ""});
        }
        return stop(CycleResult::applied,
                    fmt::format("applied {} ({})", plural(plan.ops.size(), "operation"),
                                plan::summary_line(plan::count(plan))),
                    std::move(report));
    case rt::TransactionStatus::not_started:
        return stop(CycleResult::failed, "cannot write the journal, nothing was changed: " + outcome.error->message,
                    std::move(report));
    case rt::TransactionStatus::uncommitted:
        return stop(CycleResult::failed,
                    "applied, but the journal could not be removed (" + outcome.error->message +
                        "): the next cycle undoes this change first",
                    std::move(report));
    case rt::TransactionStatus::rolled_back:
    case rt::TransactionStatus::rollback_incomplete: {
        const rt::ApplyResult& result = *outcome.result;
        std::string detail = rt::render_failure(plan, result, sources, false) +
                             rt::render_restore(plan, *result.restore, sources, rt::UndoKind::rollback, false);
        const bool restored = outcome.status == rt::TransactionStatus::rolled_back && outcome.ending.restored;
        report.problems.push_back({true, restored ? "the apply failed and was rolled back" :
                                                    "the apply failed and the rollback is incomplete",
                                   std::move(detail)});
        return stop(restored ? CycleResult::rolled_back : CycleResult::rollback_incomplete,
                    restored ? "failed; the node is as it was before" : "failed; the node could not be restored",
                    std::move(report));
    }
    }
    return stop(CycleResult::failed, "unknown transaction outcome", std::move(report));
}

}  // namespace

std::string_view result_word(CycleResult result) {
    switch (result) {
    case CycleResult::converged: return "converged";
    case CycleResult::applied: return "applied";
    case CycleResult::compile_error: return "compile_error";
    case CycleResult::conflict: return "conflict";
    case CycleResult::refused: return "refused";
    case CycleResult::fight: return "fight";
    case CycleResult::superseded: return "superseded";
    case CycleResult::reported: return "reported";
    case CycleResult::rolled_back: return "rolled_back";
    case CycleResult::rollback_incomplete: return "rollback_incomplete";
    case CycleResult::failed: return "failed";
    }
    return "failed";
}

bool retried(CycleResult result) {
    return result == CycleResult::rolled_back || result == CycleResult::rollback_incomplete ||
           result == CycleResult::failed;
}

CycleReport converge(const AgentOptions& options, const FlapDetector& flaps, Clock::time_point now,
                     const std::function<bool()>& file_changed) {
    CycleReport report;
    const auto stamp = rt::stamp_file(options.file);
    if (stamp && std::chrono::system_clock::now() - stamp->modified < kFileSettle) {
        return stop(CycleResult::superseded, "the file was modified a moment ago; reading it when it has settled",
                    std::move(report));
    }
    // A writer that started after the file was read (its events not seen when the
    // cycle began, or not even queued yet) may have let it read half a file.
    const auto changed_since_read = [&] {
        return (file_changed && file_changed()) || rt::stamp_file(options.file) != stamp;
    };
    SourceSet sources;
    CompiledFile compiled =
        compile_file(options.file, LowerOptions{options.node, options.node_from_hostname}, sources);
    if (compiled.unreadable) {
        report.topology_errors = 1;
        report.problems.push_back(
            {true, fmt::format("{}: error: cannot read the topology: {}", options.file, *compiled.unreadable), ""});
        return stop(CycleResult::compile_error, "the topology cannot be read; the node stays as last applied",
                    std::move(report));
    }
    for (const Diagnostic& diagnostic : compiled.diagnostics.all()) {
        report.problems.push_back(problem_of(sources, diagnostic));
    }
    report.topology_errors = compiled.diagnostics.error_count();
    if (!compiled.node) {
        return stop(CycleResult::compile_error,
                    fmt::format("{} does not compile ({}); the node stays as last applied", options.file,
                                plural(compiled.diagnostics.error_count(), "error")),
                    std::move(report));
    }
    const ir::NodeIr& desired = *compiled.node;
    report.pods = desired.pods.size();

    rt::SessionOptions session_options;
    session_options.state_dir = options.state_dir;
    session_options.lock_timeout = options.lock_timeout;
    session_options.faults = options.faults;
    auto session = rt::open_session(session_options);
    if (!session) return stop(CycleResult::failed, session.error().message, std::move(report));

    auto recovery = rt::recover_pending(*session, [](const rt::Journal&) {});
    if (!recovery) return stop(CycleResult::failed, recovery.error().message, std::move(report));
    if (recovery->journal) {
        report.problems.push_back(
            {!recovery->ending.restored, "an interrupted transaction was undone first",
             rt::render_restore(recovery->journal->plan, recovery->report, recovery->sources,
                                rt::UndoKind::recovery, false)});
        report.signal = recovery->signal;
        if (!recovery->ending.restored) {
            return stop(CycleResult::rollback_incomplete, "the interrupted transaction could not be undone",
                        std::move(report));
        }
    }

    rt::ReadOptions read_options;
    read_options.state_dir = options.state_dir;
    auto before = rt::read_node_state(read_options, desired.node);
    if (!before) return stop(CycleResult::failed, before.error().message, std::move(report));
    const plan::Plan plan = plan::make_plan(desired, *before);
    if (changed_since_read()) {
        return stop(CycleResult::superseded, "the file changed while it was planned; planning it again",
                    std::move(report));
    }

    for (const plan::Op& op : plan.ops) {
        if (op.reason == plan::Reason::drift) report.drift.push_back(drift_word(op));
    }
    for (const plan::Conflict& warning : plan.warnings) {
        report.problems.push_back(problem_of(sources, plan::conflict_diagnostic(warning, Severity::warning)));
    }
    report.operations = plan.ops.size();
    report.owned = count_owned(*before);
    if (!plan.conflicts.empty()) {
        for (const plan::Conflict& conflict : plan.conflicts) {
            report.problems.push_back(problem_of(sources, plan::conflict_diagnostic(conflict)));
        }
        return stop(CycleResult::conflict,
                    fmt::format("the plan has {}; nothing was changed", plural(plan.conflicts.size(), "conflict")),
                    std::move(report));
    }
    if (const auto emptied = plan::pods_emptied(desired, plan); !emptied.empty()) {
        return stop(CycleResult::refused,
                    fmt::format("{} declares no pods, and applying it would delete all {} podnetc owns ({}); "
                                "nothing was changed (podnetc destroy removes them on purpose)",
                                options.file, plural(emptied.size(), "pod"), first_names(emptied, 5)),
                    std::move(report));
    }
    if (const auto exceeded = plan::check_deletion_budget(plan, plan::owned_pods(*before), options.max_delete)) {
        return stop(CycleResult::refused,
                    fmt::format("applying {} {}; nothing was changed", options.file,
                                plan::describe(*exceeded, options.max_delete)),
                    std::move(report));
    }
    if (plan.empty()) {
        if (auto stored = rt::refresh_applied_record(session->state_dir, desired.node, plan::applied_record(desired),
                                                     before->last_applied);
            !stored) {
            report.problems.push_back({false, stored.error().message, ""});
        }
        return stop(CycleResult::converged, fmt::format("the node matches the file ({})", plural(report.pods, "pod")),
                    std::move(report));
    }
    if (options.drift == DriftPolicy::report) {
        return stop(CycleResult::reported,
                    fmt::format("would apply {} ({} of them drift repairs); --drift report: nothing was changed",
                                plural(plan.ops.size(), "operation"), report.drift.size()),
                    std::move(report));
    }
    for (const std::string& object : report.drift) {
        if (flaps.fighting(object, now)) {
            return stop(CycleResult::fight,
                        fmt::format("another writer keeps changing {}; repairs are paused", object),
                        std::move(report));
        }
    }
    if (changed_since_read()) {
        return stop(CycleResult::superseded, "the file changed while it was planned; planning it again",
                    std::move(report));
    }
    return apply_plan(*session, options, desired, plan, *before, sources, std::move(report));
}

}  // namespace podnetc::agent
