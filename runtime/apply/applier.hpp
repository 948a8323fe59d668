// Applying a plan as one transaction. rtnetlink has no transaction of its own, so:
// the journal (inverses included) is on disk before anything is sent; the steps go
// out in batches (one per run of consecutive steps of a namespace); at the first
// failed acknowledgement nothing more is sent, every acknowledgement of the batch
// in flight is still collected (the kernel carries on after a failed request of a
// sendmsg, so later requests may have succeeded), and every confirmed operation is
// undone, last first. Then the kernel is read again and compared with the state
// before (undo.hpp). A plan that went through is verified (a fresh plan must be
// empty; optionally connectivity), and rolled back the same way if it is not.
// Another process that changes an object of the plan meanwhile stops it the same
// way, before the next batch (other_writers.hpp); its objects are not undone.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"
#include "runtime/apply/apply_transport.hpp"
#include "runtime/apply/journal.hpp"
#include "runtime/apply/other_writers.hpp"
#include "runtime/apply/step_runner.hpp"
#include "runtime/apply/undo.hpp"

namespace podnetc::rt {

// What is wrong with the node after a complete apply ("" entries are not allowed);
// empty: verified. An error result counts as a failed verification.
using Verifier = std::function<Result<std::vector<std::string>>(const live::State& after)>;

struct ApplyOptions {
    std::optional<std::size_t> fail_at;  // test switch PODNETC_TEST_FAIL_AT (0-based op)
    // After each sendmsg (and each namespace operation), with the operations it
    // carried [first, last): the transaction's PODNETC_TEST_KILL_AT=k dies here.
    std::function<void(std::size_t first, std::size_t last)> after_send;
    std::function<void(std::size_t completed, std::size_t total)> on_progress;
    Verifier verify;  // none: not verified
};

enum class ApplyOutcome {
    applied,              // every operation confirmed (and verified)
    rolled_back,          // failed; the node is as it was before
    rollback_incomplete,  // failed; the undo could not restore everything
};

struct ApplyFailure {
    enum class Kind {
        refused,      // the kernel (or a namespace operation) refused operation `op`
        interrupted,  // the transport or the journal failed: the fate of a batch is unknown
        unverified,   // every operation went through, but verification found problems
        other_writer, // another process changed an object of the plan meanwhile (other_writers.hpp)
    };
    Kind kind = Kind::refused;
    std::optional<std::size_t> op;
    int error = 0;
    std::string message;
    std::vector<std::string> problems;  // unverified: what verification found
    // other_writer: what the other process did (`op`: the first operation it concerns),
    // and every operation it concerns: their objects are left as the other writer made them.
    std::vector<OtherWriterChange> other_changes;
    std::set<std::size_t> ops_changed_by_others;
};

struct ApplyResult {
    ApplyOutcome outcome = ApplyOutcome::applied;
    std::optional<ApplyFailure> failure;
    std::vector<StepOutcome> outcomes;  // one per operation
    std::size_t confirmed = 0;          // operations the kernel acknowledged
    RunStats stats;
    std::optional<RestoreReport> restore;  // set when something was undone
    std::optional<live::State> after;      // the state read for verification
    std::chrono::nanoseconds verify_time{};  // reading the state again and checking it
    std::chrono::nanoseconds undo_time{};    // the rollback, when there was one
};

// Applies `plan` (computed against `before`, the kernel as it is now) through
// `transport`, with progress marks in `journal`. The caller ends the journal.
ApplyResult apply_plan(const plan::Plan& plan, const live::State& before, ApplyTransport& transport,
                       JournalWriter& journal, const ApplyOptions& options);

}  // namespace podnetc::rt
