// Rolling back a transaction that a killed podnetc left behind (its journal), under
// the session's lock, before anything else happens on the node. Prints nothing:
// the outcome says what was found and done, for the caller to report.
#pragma once

#include <functional>
#include <optional>

#include "compiler/base/source.hpp"
#include "runtime/apply/journal.hpp"
#include "runtime/apply/undo.hpp"
#include "runtime/transaction/session.hpp"
#include "runtime/transaction/undo_ending.hpp"

namespace podnetc::rt {

struct RecoveryOutcome {
    std::optional<Journal> journal;  // nullopt: there was nothing to recover
    SourceSet sources;               // the topology files the journal's plan points into
    RestoreReport report;
    UndoEnding ending;
    std::optional<int> signal;  // a stop signal that arrived during the recovery (deferred)
};

// `recovering` is called before the undo starts (a long recovery is then not silent).
// An error: the journal could not be read; nothing was done.
Result<RecoveryOutcome> recover_pending(Session& session, const std::function<void(const Journal&)>& recovering);

}  // namespace podnetc::rt
