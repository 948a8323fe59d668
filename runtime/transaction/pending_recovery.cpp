#include "runtime/transaction/pending_recovery.hpp"

#include "runtime/apply/recovery.hpp"
#include "runtime/transaction/deferred_signals.hpp"

namespace podnetc::rt {

Result<RecoveryOutcome> recover_pending(Session& session, const std::function<void(const Journal&)>& recovering) {
    RecoveryOutcome outcome;
    auto journal = read_journal(session.state_dir, outcome.sources);
    if (!journal) return fail(std::move(journal).error());
    if (!*journal) return outcome;
    DeferredSignals deferred;
    outcome.journal = std::move(**journal);
    if (recovering) recovering(*outcome.journal);
    outcome.report = recover(*outcome.journal, *session.transport);
    outcome.ending = end_journal_after_undo(session.state_dir, outcome.report.restored());
    outcome.signal = deferred.take_arrived();
    return outcome;
}

}  // namespace podnetc::rt
