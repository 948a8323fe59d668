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
#include "compiler/steps/plan.hpp"
#include "tools/podnetc/cli_args.hpp"
#include "tools/podnetc/reporter.hpp"
#include "tools/podnetc/result_json.hpp"

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
std::optional<TransactionSettings> transaction_settings(const Args& args, Reporter& reporter);

// Takes the node lock (saying for whom it waits) and opens the kernel. nullopt
// with `exit_status` set (5 for a lock timeout).
std::optional<rt::Session> open_session(const TransactionSettings& settings, Reporter& reporter, int& exit_status);

// What a recovery undid: the interrupted command and its plan.
struct RecoveryReport {
    std::string command;  // "apply route.pnet"
    plan::Plan plan;
    SourceSet sources;  // where the plan's operations point
    std::size_t ops_undone = 0;
};

// Rolls back a transaction a killed podnetc left behind, if there is one, and
// reports it on stderr. Returns an exit status: ok (nothing to do, or restored),
// rollback_failed, error. `recovered`: set when there was one; `stop_signal`: a
// stop signal that arrived meanwhile.
int recover_pending(rt::Session& session, Reporter& reporter, std::optional<RecoveryReport>& recovered,
                    std::optional<int>& stop_signal);

// What apply and destroy do before planning: take the node lock, roll back what a
// killed podnetc left behind, and read the node. nullopt with `exit_status` set.
struct OpenedNode {
    rt::Session session;
    live::State before;
};
std::optional<OpenedNode> open_node(const TransactionSettings& settings, const std::string& node, Reporter& reporter,
                                    int& exit_status);

// One line on stderr: a stop signal arrived `during` ("transaction") what could
// not be stopped, and `then` what was done about it.
void say_stop_signal(Reporter& reporter, int signal, std::string_view during, std::string_view then);

// Runs the transaction with a progress line on a terminal; reports a failure and
// its rollback, warnings and a deferred stop signal on stderr, and what became of
// each operation in `result` (fates, outcome, rolled_back, verification). Prints
// nothing on stdout: the caller does. Returns the exit status.
int run_and_report(rt::Session& session, rt::TransactionRequest request, Reporter& reporter, CommandResult& result);

}  // namespace podnetc::cli
