// What apply, destroy and recover share: the node lock, the kernel transport, the
// recovery of a transaction a killed podnetc left behind, and running a plan as a
// journaled transaction with progress and a report.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"
#include "compiler/base/source.hpp"
#include "runtime/apply/applier.hpp"
#include "runtime/apply/apply_faults.hpp"
#include "runtime/read/kernel_reader.hpp"
#include "runtime/apply/kernel_transport.hpp"
#include "runtime/state/node_lock.hpp"
#include "tools/podnetc/cli_args.hpp"

namespace podnetc::cli {

inline constexpr std::chrono::seconds kDefaultLockTimeout{60};

// --lock-timeout S (seconds, fractions allowed); nullopt with `error` when malformed.
std::optional<std::chrono::milliseconds> lock_timeout(const Args& args, std::string& error);

// What apply and destroy read before anything else: --lock-timeout and the
// test-only fault switches (runtime/apply/apply_faults.hpp). nullopt after saying what
// is wrong (exit status: usage).
struct TransactionSettings {
    rt::TestFaults faults;
    std::chrono::milliseconds lock_timeout;
};
std::optional<TransactionSettings> transaction_settings(const Args& args);

struct Session {
    std::string state_dir;
    rt::ReadOptions read_options;
    rt::NodeLock lock;
    std::unique_ptr<rt::KernelTransport> transport;
};

// Takes the node lock (waiting up to `timeout`, and saying for whom) and opens the
// kernel. nullopt with `exit_status` set (5 for a lock timeout).
std::optional<Session> open_session(std::chrono::milliseconds timeout, int& exit_status);

// Rolls back a transaction a killed podnetc left behind, if there is one. Returns
// an exit status: ok (nothing to do, or restored), rollback_failed, error.
int recover_pending(Session& session, bool say_nothing_to_recover);

// What apply and destroy do before planning: take the node lock, roll back what a
// killed podnetc left behind, and read the node. nullopt with `exit_status` set.
struct OpenedNode {
    Session session;
    live::State before;
};
std::optional<OpenedNode> open_node(const TransactionSettings& settings, const std::string& node, int& exit_status);

struct TransactionRequest {
    std::string command;  // for the journal: "apply route.pnet"
    std::string node;
    const plan::Plan* plan = nullptr;
    const live::State* before = nullptr;
    const SourceSet* sources = nullptr;
    rt::Verifier verify;
    rt::TestFaults faults;
    // After every operation went through and was verified, before the journal is
    // removed: writes or removes the applied record.
    std::function<rt::Result<void>()> on_applied;
};

struct TransactionOutcome {
    int exit_status = 0;
    std::optional<rt::ApplyResult> result;
};

// Journals, applies (with a progress line on a terminal), and reports a failure
// and its rollback on stderr. Prints nothing on success: the caller does.
TransactionOutcome run_transaction(Session& session, const TransactionRequest& request);

// "0.42 ms" (below 10 ms), "0.031 s" (below a second), "1.25 s".
std::string seconds_text(std::chrono::steady_clock::duration duration);
// Seconds since `start`.
std::string elapsed_text(std::chrono::steady_clock::time_point start);

}  // namespace podnetc::cli
