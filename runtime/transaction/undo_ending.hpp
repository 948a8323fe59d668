// The end of a transaction that was undone (a failed apply, or the recovery of a
// killed one): the journal is removed when the node is as before, else kept aside
// as journal.incomplete.json for inspection.
#pragma once

#include <optional>
#include <string>

#include "runtime/sys/sys_error.hpp"

namespace podnetc::rt {

struct UndoEnding {
    bool restored = false;                  // the node is as it was before
    std::optional<SysError> journal_error;  // the journal could not be removed or set aside
};

UndoEnding end_journal_after_undo(const std::string& state_dir, bool restored);

}  // namespace podnetc::rt
