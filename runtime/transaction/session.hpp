// What every transaction on a node starts with: the node lock and the kernel
// transport, held together for as long as the transaction and its record take.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "compiler/live/live_state.hpp"
#include "runtime/apply/apply_faults.hpp"
#include "runtime/apply/apply_transport.hpp"
#include "runtime/read/kernel_reader.hpp"
#include "runtime/state/node_lock.hpp"

namespace podnetc::rt {

struct Session {
    std::string state_dir;
    NodeLock lock;
    std::unique_ptr<ApplyTransport> transport;
};

struct SessionOptions {
    std::string state_dir;
    std::chrono::milliseconds lock_timeout{0};
    // Called once when the lock is busy, so that the caller can say whom it waits for.
    std::function<void(const LockBusy&)> waiting_for_lock;
    TestFaults faults;  // kill_in_registry is wired into the kernel transport
};

// Takes the node lock and opens the kernel. A lock that stays busy fails with
// EWOULDBLOCK (and a message naming the holder).
Result<Session> open_session(const SessionOptions& options);

// The kernel as read through `options`, with the applied record of `node` as its
// last_applied (nullopt node: none).
Result<live::State> read_node_state(const ReadOptions& options, const std::optional<std::string>& node);

}  // namespace podnetc::rt
