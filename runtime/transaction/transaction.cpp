#include "runtime/transaction/transaction.hpp"

#include <csignal>
#include <ctime>

#include <fmt/format.h>
#include <unistd.h>

#include "runtime/apply/journal.hpp"
#include "runtime/apply/other_writers.hpp"
#include "runtime/transaction/deferred_signals.hpp"

namespace podnetc::rt {
namespace {

bool journal_is_there(const std::string& state_dir) {
    return ::access(fmt::format("{}/{}", state_dir, kJournalName).c_str(), F_OK) == 0;
}

ApplyOptions apply_options(const TransactionRequest& request) {
    ApplyOptions options;
    options.fail_at = request.faults.fail_at;
    if (const auto kill_at = request.faults.kill_at) {
        options.after_send = [kill_at](std::size_t first, std::size_t last) {
            if (*kill_at >= first && *kill_at < last) std::raise(SIGKILL);
        };
    }
    options.on_progress = request.on_progress;
    options.verify = request.verify;
    return options;
}

// Everything went through and was verified: commit, then record (see the header).
void commit(const Session& session, const TransactionRequest& request, TransactionOutcome& outcome) {
    kill_if_at(request.faults, CommitPoint::verified);
    if (auto removed = remove_journal(session.state_dir); !removed) {
        if (journal_is_there(session.state_dir)) {
            outcome.status = TransactionStatus::uncommitted;
            outcome.error = std::move(removed).error();
            return;
        }
        // journal.json is gone (the commit happened); what failed came after it.
        outcome.warnings.push_back(std::move(removed).error());
    }
    outcome.status = TransactionStatus::committed;
    kill_if_at(request.faults, CommitPoint::committed);
    auto recorded = request.record ? store_applied_record(session.state_dir, request.node, *request.record)
                                   : remove_applied_record(session.state_dir, request.node);
    if (!recorded) outcome.warnings.push_back(std::move(recorded).error());
    kill_if_at(request.faults, CommitPoint::recorded);
}

}  // namespace

TransactionOutcome run_transaction(Session& session, const TransactionRequest& request) {
    const plan::Plan& plan = *request.plan;
    DeferredSignals deferred;
    TransactionOutcome outcome;
    // As soon as the plan is known: what another process does from here on is seen.
    session.transport->watch_other_writers(namespaces_to_watch(plan, *request.before));
    const JournalInfo info{request.command, request.node, getpid(), static_cast<std::int64_t>(std::time(nullptr))};
    const auto journal_started = std::chrono::steady_clock::now();
    auto journal = JournalWriter::begin(session.state_dir, info, *request.before, plan, *request.sources);
    outcome.journal_time = std::chrono::steady_clock::now() - journal_started;
    if (!journal) {
        outcome.error = std::move(journal).error();
        outcome.signal = deferred.take_arrived();
        return outcome;
    }
    if (request.faults.pause_before_send) pause_before_send(*request.faults.pause_before_send);

    ApplyResult result = apply_plan(plan, *request.before, *session.transport, *journal, apply_options(request));
    switch (result.outcome) {
    case ApplyOutcome::applied: {
        const auto commit_started = std::chrono::steady_clock::now();
        commit(session, request, outcome);
        outcome.commit_time = std::chrono::steady_clock::now() - commit_started;
        break;
    }
    case ApplyOutcome::rolled_back:
    case ApplyOutcome::rollback_incomplete: {
        const bool restored = result.outcome == ApplyOutcome::rolled_back;
        outcome.status = restored ? TransactionStatus::rolled_back : TransactionStatus::rollback_incomplete;
        outcome.ending = end_journal_after_undo(session.state_dir, restored);
        break;
    }
    }
    outcome.result = std::move(result);
    outcome.signal = deferred.take_arrived();
    return outcome;
}

}  // namespace podnetc::rt
