// Running a plan on the node as one transaction: journal, apply (with the kernel
// verification the caller passes in), commit, record. Prints nothing: progress goes
// to the caller's callback, and the outcome says what happened, for the caller to
// report and to map to an exit status.
//
// The order after every operation went through and was verified (docs/APPLY.md,
// "Commit"): the journal is committed first (journal.json removed, durably), the
// applied record written second (atomic rename). A crash in between leaves a node
// that is applied and an applied record one apply old: no rollback, and the next
// plan is still right (drift falls back to "differs"); never a rollback of a change
// that the record says was applied.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/base/source.hpp"
#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"
#include "runtime/apply/applier.hpp"
#include "runtime/apply/apply_faults.hpp"
#include "runtime/state/applied_record_store.hpp"
#include "runtime/transaction/session.hpp"
#include "runtime/transaction/undo_ending.hpp"

namespace podnetc::rt {

struct TransactionRequest {
    std::string command;  // for the journal: "apply route.pnet"
    std::string node;
    const plan::Plan* plan = nullptr;
    const live::State* before = nullptr;  // the kernel as it is now (the plan's base)
    const SourceSet* sources = nullptr;
    Verifier verify;
    TestFaults faults;
    // The node's applied record once the transaction has committed; nullopt: removed.
    std::optional<AppliedRecord> record;
    std::function<void(std::size_t done, std::size_t total)> on_progress;
};

enum class TransactionStatus {
    not_started,          // the journal could not be written: nothing was sent
    committed,            // applied, verified, committed; the record is written (or a warning says why not)
    uncommitted,          // applied and verified, but the journal could not be removed: the next
                          // podnetc undoes it, so the record was left as it was
    rolled_back,          // failed; the node is as it was before
    rollback_incomplete,  // failed; the undo could not restore everything
};

struct TransactionOutcome {
    TransactionStatus status = TransactionStatus::not_started;
    std::optional<SysError> error;   // not_started, uncommitted: why
    std::vector<SysError> warnings;  // committed, but: the record, the journal's leftovers
    std::optional<ApplyResult> result;
    UndoEnding ending;          // rolled_back, rollback_incomplete: how the journal ended
    std::optional<int> signal;  // a stop signal that arrived meanwhile (deferred, then taken)
    // Where the time went besides the apply itself (result's stats and times).
    std::chrono::nanoseconds journal_time{};  // writing the journal (durably)
    std::chrono::nanoseconds commit_time{};   // committing the journal, writing the record
};

TransactionOutcome run_transaction(Session& session, const TransactionRequest& request);

}  // namespace podnetc::rt
