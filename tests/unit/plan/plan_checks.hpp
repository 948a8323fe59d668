// Executable properties of a plan, checked with the kernel simulator.
#pragma once

#include <set>
#include <string>

#include "compiler/ir/ir.hpp"
#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"

namespace podnetc::test {

// Runs every step of the plan on a simulator started from `live`. "" on success,
// else which op failed and why. The resulting state goes to `result`.
std::string apply_plan(const plan::Plan& plan, const live::State& live, live::State* result = nullptr);

// The rollback proof: for every k, executing ops[0..k) and then the inverses of
// ops k-1..0 yields `live` again (normalized), and every inverse step succeeds.
std::string check_rollback(const plan::Plan& plan, const live::State& live);

// The same when one operation is refused: the kernel carries on with the requests
// after it in the same sendmsg (the rest of its namespace's batch), then the
// inverses of every operation that went through, in reverse, give back the
// original state. For every refused operation of the `refusable` kinds (netlink
// operations, deletions excluded).
std::string check_rollback_with_refusal(const plan::Plan& plan, const live::State& live,
                                        const std::set<plan::StepKind>& refusable);

// Applying the plan and planning again (with the record of this apply) is empty.
std::string check_converges(const ir::NodeIr& desired, const plan::Plan& plan, const live::State& live);

}  // namespace podnetc::test
