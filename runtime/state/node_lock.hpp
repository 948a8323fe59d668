// One apply at a time per node: an exclusive flock(2) on STATE_DIR/lock.
//
// The lock belongs to the open file description, so the kernel releases it when
// the holder exits in any way, crashes included; there is no stale lock to break.
// After taking it, the holder writes who it is into the file (pid, command line,
// since when) so that a second podnetc can say whom it waits for; the record is
// cleared on release. A crashed holder leaves its record behind, so a record is
// only "the last holder's": when the lock is busy but the recorded process is
// gone, the holder is someone who has not written yet (or a process that
// inherited the descriptor, or a hand-made `flock`), and messages say so.
//
// The file, `cat`-able:
//   pid 1234
//   start_ticks 8812345        (/proc/PID/stat field 22: tells a reused pid apart)
//   since 1764108184           (seconds since the epoch)
//   command podnetc apply examples/route.pnet
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <sys/types.h>

#include "runtime/sys/sys_error.hpp"
#include "runtime/sys/unique_fd.hpp"

namespace podnetc::rt {

// What a holder writes into the lock file about itself.
struct LockRecord {
    pid_t pid = 0;
    unsigned long long start_ticks = 0;  // 0: unknown
    std::chrono::system_clock::time_point since;
    std::string command;
    friend bool operator==(const LockRecord&, const LockRecord&) = default;
};

std::string format_lock_record(const LockRecord& record);
// Nullopt for an empty, partly written or foreign file.
std::optional<LockRecord> parse_lock_record(std::string_view text);

// What a waiter knows about a busy lock.
struct LockBusy {
    std::string path;
    std::optional<LockRecord> record;  // the last holder's record, if the file has one
    bool record_is_current = false;    // its process still runs (same pid, same start time)
};

// "pid 1234 (podnetc apply examples/route.pnet) since 21:03:04 (for 12 s)";
// for a record whose process is gone: "an unknown process (the lock file still names
// pid 1234 (podnetc apply …) from 21:03:04, which has exited)". Times in local time.
std::string describe_lock_holder(const LockBusy& busy, std::chrono::system_clock::time_point now);

class NodeLock {
public:
    NodeLock(NodeLock&&) = default;
    NodeLock& operator=(NodeLock&&) = default;
    ~NodeLock();  // clears the record, then closing the file releases the lock

    const std::string& path() const { return path_; }

private:
    friend Result<NodeLock> acquire_node_lock(std::string_view, std::chrono::milliseconds,
                                              const std::function<void(const LockBusy&)>&, std::string_view);
    NodeLock(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}

    UniqueFd fd_;
    std::string path_;
};

// Takes the node lock, creating `state_dir` (mode 0700) and its lock file (0600)
// if missing. While another process holds it, tries again every 20 ms for up to
// `timeout` (0: once), calling `on_wait` once so the caller can say whom it waits
// for (as soon as the holder's record is readable, at most 100 ms after the first
// try). No signals, no threads. `command`: what the record says this process is
// doing; "" = this process's command line from /proc/self/cmdline.
// A busy lock that stays busy fails with EWOULDBLOCK and a message naming the holder.
Result<NodeLock> acquire_node_lock(std::string_view state_dir, std::chrono::milliseconds timeout,
                                   const std::function<void(const LockBusy&)>& on_wait = {},
                                   std::string_view command = {});

}  // namespace podnetc::rt
