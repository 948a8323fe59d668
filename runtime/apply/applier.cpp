#include "runtime/apply/applier.hpp"

#include <algorithm>
#include <utility>

#include "runtime/netlink/netlink_index_map.hpp"

namespace podnetc::rt {
namespace {

std::optional<ApplyFailure> failure_of(const RunResult& run) {
    const auto first = run.first_failure();
    if (first && run.outcomes[*first].status == StepStatus::failed) {
        const StepOutcome& outcome = run.outcomes[*first];
        return ApplyFailure{ApplyFailure::Kind::refused, *first, outcome.error, outcome.message, {}, {}, {}};
    }
    if (run.interrupted) {
        return ApplyFailure{ApplyFailure::Kind::interrupted, first, run.interrupted->code, run.interrupted->message, {}, {}, {}};
    }
    return std::nullopt;
}

// What other processes did since the last look, to objects of the plan.
class OtherWriters {
public:
    OtherWriters(const plan::Plan& plan, ApplyTransport& transport, const IndexMap& links)
        : plan_(plan), transport_(transport), links_(links) {}

    // True once some change concerned the plan.
    bool look() {
        for (const ForeignNotification& notification : transport_.other_writers_notifications()) {
            auto change = decode_other_writer_change(notification, links_);
            if (!change) continue;
            const std::vector<std::size_t> ops = ops_changed(plan_, *change);
            if (ops.empty()) continue;
            ops_.insert(ops.begin(), ops.end());
            changes_.push_back(std::move(*change));
        }
        return !changes_.empty();
    }

    ApplyFailure failure() const {
        return ApplyFailure{ApplyFailure::Kind::other_writer, *ops_.begin(), EBUSY, other_writer_text(changes_.front()),
                            {}, changes_, ops_};
    }

private:
    const plan::Plan& plan_;
    ApplyTransport& transport_;
    const IndexMap& links_;
    std::vector<OtherWriterChange> changes_;
    std::set<std::size_t> ops_;
};

}  // namespace

ApplyResult apply_plan(const plan::Plan& plan, const live::State& before, ApplyTransport& transport,
                       JournalWriter& journal, const ApplyOptions& options) {
    ApplyResult result;
    IndexMap indexes(before);

    std::vector<const plan::Step*> steps;
    steps.reserve(plan.ops.size());
    for (const plan::Op& op : plan.ops) steps.push_back(&op.step);

    transport.watch_other_writers(namespaces_to_watch(plan, before));
    OtherWriters other_writers(plan, transport, indexes);

    RunOptions run_options;
    run_options.stop_at_failure = true;
    bool stopped_for_other_writer = false;
    run_options.before_send = [&](std::size_t first, std::size_t last) -> Result<void> {
        if (other_writers.look()) {
            stopped_for_other_writer = true;
            return fail_plain(EBUSY, "another process changed an object of the plan");
        }
        return journal.mark_sending(first, last);
    };
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
    if (stopped_for_other_writer || (!result.failure && other_writers.look())) {
        result.failure = other_writers.failure();
    }
    transport.watch_other_writers({});

    if (!result.failure && options.verify) {
        const auto verify_started = std::chrono::steady_clock::now();
        auto after = transport.read_state();
        if (!after) {
            result.failure = ApplyFailure{ApplyFailure::Kind::unverified, std::nullopt, after.error().code,
                                          after.error().message, {}, {}, {}};
        } else {
            auto problems = options.verify(*after);
            if (!problems) {
                result.failure = ApplyFailure{ApplyFailure::Kind::unverified, std::nullopt, problems.error().code,
                                              problems.error().message, {}, {}, {}};
            } else if (!problems->empty()) {
                result.failure =
                    ApplyFailure{ApplyFailure::Kind::unverified, std::nullopt, 0, {}, std::move(*problems), {}, {}};
            }
            result.after = std::move(*after);
        }
        result.verify_time = std::chrono::steady_clock::now() - verify_started;
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
    const std::set<std::size_t>& theirs = result.failure->ops_changed_by_others;
    for (std::size_t i = result.outcomes.size(); i-- > 0;) {
        if (theirs.contains(i)) continue;  // the other writer's object now: left alone
        const StepStatus status = result.outcomes[i].status;
        if (status == StepStatus::done || status == StepStatus::unknown) {
            to_undo.push_back(i);
            later_went_through = true;
        } else if (status == StepStatus::failed && later_went_through && plan::is_kernel_deletion(plan.ops[i].step.kind())) {
            to_undo.push_back(i);
        }
    }
    std::reverse(to_undo.begin(), to_undo.end());
    // Informative only: if the mark cannot be written the undo goes on, and a crash
    // now makes recovery undo the same operations again, which is safe.
    (void)journal.mark_rollback();
    const auto undo_started = std::chrono::steady_clock::now();
    result.restore = undo_operations(plan, to_undo, before, transport, indexes, theirs);
    result.undo_time = std::chrono::steady_clock::now() - undo_started;
    result.outcome = result.restore->restored() ? ApplyOutcome::rolled_back : ApplyOutcome::rollback_incomplete;
    return result;
}

}  // namespace podnetc::rt
