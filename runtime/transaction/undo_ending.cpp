#include "runtime/transaction/undo_ending.hpp"

#include "runtime/apply/journal.hpp"

namespace podnetc::rt {

UndoEnding end_journal_after_undo(const std::string& state_dir, bool restored) {
    UndoEnding ending{restored, std::nullopt};
    auto ended = restored ? remove_journal(state_dir) : set_journal_aside(state_dir);
    if (!ended) ending.journal_error = std::move(ended).error();
    return ending;
}

}  // namespace podnetc::rt
