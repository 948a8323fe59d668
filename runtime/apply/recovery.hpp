// Crash recovery: a journal left behind means a transaction was killed half way.
// Everything it may have done (every operation up to its last progress mark) is
// undone, last first, tolerating inverses that find their work already done
// (undo.hpp), and the kernel is compared with the state the journal recorded
// before the transaction. The caller holds the node lock and ends the journal.
#pragma once

#include "runtime/apply/apply_transport.hpp"
#include "runtime/apply/journal.hpp"
#include "runtime/apply/undo.hpp"

namespace podnetc::rt {

RestoreReport recover(const Journal& journal, ApplyTransport& transport);

}  // namespace podnetc::rt
