// podnetc's exit codes (README, "Exit codes"). Stable: scripts and CI depend on them.
#pragma once

namespace podnetc::exit_code {

inline constexpr int ok = 0;               // success; for plan: no changes
inline constexpr int error = 1;            // errors in the input or the live state; nothing changed
inline constexpr int changes_pending = 2;  // plan --detailed-exitcode: the plan is not empty
inline constexpr int rolled_back = 3;      // apply failed, the node was restored to its previous state
inline constexpr int rollback_failed = 4;  // apply failed and rollback could not restore everything
inline constexpr int lock_timeout = 5;     // another podnetc holds the node's lock
inline constexpr int usage = 64;           // bad command line (EX_USAGE)

}  // namespace podnetc::exit_code
