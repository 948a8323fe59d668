// The crash journal of an apply (or destroy): enough to undo a half-applied plan
// after podnetc was killed, by the next podnetc that takes the node lock.
//
// Two files in the state directory:
//   journal.json      written once, atomically and durably, before anything is sent:
//                     who (command, node, pid, start time), the live state before
//                     (the snapshot format, live_state_json.hpp) and the plan with
//                     every operation's inverse steps (the plan format, plan_output.hpp).
//                     Its existence means "a transaction may be half done".
//   journal.progress  appended to (and flushed) before each group of operations is
//                     handed to the kernel: "sending FIRST LAST" (0-based operations
//                     [FIRST, LAST) may have reached the kernel), and "rollback" when
//                     an undo started. A torn last line is a line that was never
//                     acted upon (it is written before the send).
// Removing journal.json ends the transaction (it is removed first, the progress
// file second; a progress file without a journal is stale and ignored).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <sys/types.h>

#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"
#include "compiler/base/source.hpp"
#include "runtime/sys/sys_error.hpp"
#include "runtime/sys/unique_fd.hpp"

namespace podnetc::rt {

inline constexpr std::string_view kJournalFormat = "podnetc-journal/1";
inline constexpr std::string_view kJournalName = "journal.json";
inline constexpr std::string_view kJournalProgressName = "journal.progress";
inline constexpr std::string_view kJournalSetAsideName = "journal.incomplete.json";

struct JournalInfo {
    std::string command;  // "apply examples/route.pnet", "destroy …"
    std::string node;
    pid_t pid = 0;
    std::int64_t started = 0;  // seconds since the epoch
};

struct Journal {
    JournalInfo info;
    live::State before;
    plan::Plan plan;
    // Operations [0, sent_end) may have reached the kernel (the highest mark).
    std::size_t sent_end = 0;
    bool rollback_started = false;
};

// The text of journal.json.
std::string journal_text(const JournalInfo& info, const live::State& before, const plan::Plan& plan,
                         const SourceSet& sources);

// Reads journal.json and journal.progress; nullopt when there is no journal.
// `sources` receives the topology files the plan's operations point into.
Result<std::optional<Journal>> read_journal(const std::string& state_dir, SourceSet& sources);

// Ends a transaction that needs no more undoing: removes the journal.
Result<void> remove_journal(const std::string& state_dir);
// Keeps a journal whose undo could not restore everything, for inspection
// (journal.incomplete.json, replacing an older one), and ends the transaction.
Result<void> set_journal_aside(const std::string& state_dir);

// The journal of the transaction in progress.
class JournalWriter {
public:
    // Writes journal.json (after removing a stale progress file) and opens
    // journal.progress for appending.
    static Result<JournalWriter> begin(const std::string& state_dir, const JournalInfo& info,
                                       const live::State& before, const plan::Plan& plan, const SourceSet& sources);

    Result<void> mark_sending(std::size_t first, std::size_t last);
    Result<void> mark_rollback();

    const std::string& state_dir() const { return state_dir_; }

private:
    JournalWriter(std::string state_dir, UniqueFd progress)
        : state_dir_(std::move(state_dir)), progress_(std::move(progress)) {}
    Result<void> append(std::string_view line);

    std::string state_dir_;
    UniqueFd progress_;
};

}  // namespace podnetc::rt
