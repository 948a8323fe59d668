#include "runtime/apply/recovery.hpp"

#include <numeric>

namespace podnetc::rt {

RestoreReport recover(const Journal& journal, ApplyTransport& transport) {
    std::vector<std::size_t> ops(journal.sent_end);
    std::iota(ops.begin(), ops.end(), std::size_t{0});
    // Built from the state before, so that links re-created by an undo get their
    // old ifindexes back; undo_operations() then refreshes it from the kernel.
    IndexMap indexes(journal.before);
    return undo_operations(journal.plan, ops, journal.before, transport, indexes);
}

}  // namespace podnetc::rt
