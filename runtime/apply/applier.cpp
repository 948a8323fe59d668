#include "runtime/apply/applier.hpp"

#include <algorithm>
#include <utility>

#include "runtime/netlink/netlink_index_map.hpp"

namespace podnetc::rt {
namespace {

bool is_kernel_deletion(plan::StepKind kind) {
    return kind == plan::StepKind::delete_link || kind == plan::StepKind::delete_address ||
           kind == plan::StepKind::delete_route || kind == plan::StepKind::delete_neighbor;
}

std::optional<ApplyFailure> failure_of(const RunResult& run) {
    const auto first = run.first_failure();
    if (first && run.outcomes[*first].status == StepStatus::failed) {
        const StepOutcome& outcome = run.outcomes[*first];
        return ApplyFailure{ApplyFailure::Kind::refused, *first, outcome.error, outcome.message, {}};
    }
    if (run.interrupted) {
        return ApplyFailure{ApplyFailure::Kind::interrupted, first, run.interrupted->code, run.interrupted->message, {}};
    }
    return std::nullopt;
}

}  // namespace

ApplyResult apply_plan(const plan::Plan& plan, const live::State& before, ApplyTransport& transport,
                       JournalWriter& journal, const ApplyOptions& options) {
    ApplyResult result;
    IndexMap indexes(before);

    std::vector<const plan::Step*> steps;
    steps.reserve(plan.ops.size());
    for (const plan::Op& op : plan.ops) steps.push_back(&op.step);

    RunOptions run_options;
    run_options.stop_at_failure = true;
    run_options.before_send = [&](std::size_t first, std::size_t last) { return journal.mark_sending(first, last); };
    run_options.after_send = options.after_send;
    run_options.refuse_step = options.fail_at;
    if (options.on_progress) {
        run_options.on_progress = [&](std::size_t completed) { options.on_progress(completed, steps.size()); };
    }
    RunResult run = run_steps(steps, transport, indexes, run_options);
    result.stats = run.stats;
    for (const StepOutcome& outcome : run.outcomes) result.confirmed += outcome.status == StepStatus::done ? 1 : 0;
    result.failure = failure_of(run);
    result.outcomes = std::move(run.outcomes);

    if (!result.failure && options.verify) {
        auto after = transport.read_state();
        if (!after) {
            result.failure = ApplyFailure{ApplyFailure::Kind::unverified, std::nullopt, after.error().code,
                                          after.error().message, {}};
        } else {
            auto problems = options.verify(*after);
            if (!problems) {
                result.failure = ApplyFailure{ApplyFailure::Kind::unverified, std::nullopt, problems.error().code,
                                              problems.error().message, {}};
            } else if (!problems->empty()) {
                result.failure =
                    ApplyFailure{ApplyFailure::Kind::unverified, std::nullopt, 0, {}, std::move(*problems)};
            }
            result.after = std::move(*after);
        }
    }
    if (!result.failure) return result;

    // Undo every operation that happened or may have happened (sent, ack lost), and a
    // refused deletion followed by operations of its sendmsg that went through: one of
    // those may have deleted its object as a side effect (deleting a device deletes
    // its addresses, routes and neighbours; a veth, its peer), which nothing else
    // would put back. Its inverse re-creates the object, tolerating EEXIST (undo.hpp):
    // an object still there is left alone.
    std::vector<std::size_t> to_undo;
    bool later_went_through = false;
    for (std::size_t i = result.outcomes.size(); i-- > 0;) {
        const StepStatus status = result.outcomes[i].status;
        if (status == StepStatus::done || status == StepStatus::unknown) {
            to_undo.push_back(i);
            later_went_through = true;
        } else if (status == StepStatus::failed && later_went_through && is_kernel_deletion(plan.ops[i].step.kind())) {
            to_undo.push_back(i);
        }
    }
    std::reverse(to_undo.begin(), to_undo.end());
    // Informative only: if the mark cannot be written the undo goes on, and a crash
    // now makes recovery undo the same operations again, which is safe.
    (void)journal.mark_rollback();
    result.restore = undo_operations(plan, to_undo, before, transport, indexes);
    result.outcome = result.restore->restored() ? ApplyOutcome::rolled_back : ApplyOutcome::rollback_incomplete;
    return result;
}

}  // namespace podnetc::rt
