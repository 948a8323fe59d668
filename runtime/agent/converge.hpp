// One convergence cycle of the agent: compile the file, take the node lock, undo
// what a killed run left, read the node, plan, and apply through the same
// transaction as `podnetc apply` — or stop at the first reason not to, and say it.
// A file that does not compile is never applied: the node stays as last applied.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/agent/agent_options.hpp"
#include "runtime/agent/clock.hpp"
#include "runtime/agent/flap_detector.hpp"

namespace podnetc::agent {

enum class CycleResult {
    converged,            // nothing to do: the node matches the file
    applied,              // changed, verified, committed
    compile_error,        // the file does not compile (or cannot be read): nothing done
    conflict,             // objects podnetc does not own are in the way: a human must decide
    refused,              // the plan would empty the node or exceed --max-delete
    fight,                // a drifted object keeps coming back changed: repairs paused
    superseded,           // the file changed while it was planned: nothing done, planned again
    reported,             // --drift report: what would change was logged, nothing changed
    rolled_back,          // the kernel refused an operation; the node is as before
    rollback_incomplete,  // … and the undo could not restore everything
    failed,               // the lock, the journal or reading the node failed
};
std::string_view result_word(CycleResult result);
// Results after which the same plan is retried with backoff (the rest wait for a change).
bool retried(CycleResult result);

struct Problem {
    bool error = true;    // else a warning
    std::string message;  // one line, "route.pnet:7:1: error: …" for a diagnostic
    std::string detail;   // further lines: source excerpt and caret, the failure report
};

// Objects podnetc owns on the node, by kind.
struct OwnedCounts {
    std::size_t namespaces = 0, links = 0, addresses = 0, routes = 0, neighbors = 0;
};

struct CycleReport {
    CycleResult result = CycleResult::failed;
    std::string summary;  // one line: what the cycle did
    std::vector<Problem> problems;
    std::size_t operations = 0;           // in the plan: applied, or (not converged) still pending
    std::vector<std::string> drift;       // the drifted objects, in words (also the flap keys)
    std::size_t pods = 0;                 // declared for this node
    std::size_t topology_errors = 0;      // errors in the file (0 when it compiles)
    std::optional<OwnedCounts> owned;     // as read (after the apply, when one was made)
    std::optional<double> apply_seconds;  // the transaction, when one ran
    std::optional<int> signal;            // a stop signal that arrived during the transaction
};

// A file modified less than this ago is not read yet (it may still be written).
inline constexpr Duration kFileSettle{300};

// `file_changed` is asked after planning and again right before the transaction:
// true when the file changed since the cycle read it (a writer started meanwhile,
// and what was read may be half a file): the cycle is then dropped, whatever its plan.
CycleReport converge(const AgentOptions& options, const FlapDetector& flaps, Clock::time_point now,
                     const std::function<bool()>& file_changed);

}  // namespace podnetc::agent
