// The command line's side of runtime/transaction: reads --lock-timeout and the
// test switches, passes in the progress line and the lock-wait message, prints what
// a transaction or a recovery did and maps its outcome to an exit status.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/live/live_state.hpp"
#include "runtime/apply/apply_faults.hpp"
#include "runtime/transaction/session.hpp"
#include "runtime/transaction/transaction.hpp"
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

// Takes the node lock (saying for whom it waits) and opens the kernel. nullopt
// with `exit_status` set (5 for a lock timeout).
std::optional<rt::Session> open_session(const TransactionSettings& settings, int& exit_status);

// Rolls back a transaction a killed podnetc left behind, if there is one, and
// reports it. Returns an exit status: ok (nothing to do, or restored),
// rollback_failed, error. `stop_signal`: a stop signal that arrived meanwhile.
int recover_pending(rt::Session& session, bool say_nothing_to_recover, std::optional<int>& stop_signal);

// What apply and destroy do before planning: take the node lock, roll back what a
// killed podnetc left behind, and read the node. nullopt with `exit_status` set.
struct OpenedNode {
    rt::Session session;
    live::State before;
};
std::optional<OpenedNode> open_node(const TransactionSettings& settings, const std::string& node, int& exit_status);

// One line on stderr: a stop signal arrived `during` ("transaction") what could
// not be stopped, and `then` what was done about it.
void say_stop_signal(int signal, std::string_view during, std::string_view then);

// Runs the transaction with a progress line on a terminal; reports a failure and
// its rollback, warnings and a deferred stop signal on stderr. Prints nothing else
// on success: the caller does. Returns the exit status.
int run_and_report(rt::Session& session, rt::TransactionRequest request);

}  // namespace podnetc::cli
