// The planner: a pure function from (desired IR, live state) to a Plan. No kernel
// access, so every planning rule is tested without root, from snapshots.
#pragma once

#include <map>
#include <string>

#include "compiler/ir/ir.hpp"
#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"

namespace podnetc::plan {

// Everything needed to take `live` to `desired`, touching only what podnetc owns or
// what the file adopts. Conflicts (foreign objects in the way) are in plan.conflicts;
// a plan with conflicts must not be applied.
Plan make_plan(const ir::NodeIr& desired, const live::State& live);

// Removes everything podnetc owns on the node (namespaces, links, addresses, routes,
// neighbours), fast: one group delete per namespace instead of one message per link.
Plan make_destroy_plan(const ir::NodeIr& declared, const live::State& live);

// The record of an applied IR: object key -> canonical text of the declared object,
// stored after a successful apply (live::State::last_applied).
std::map<std::string, std::string> applied_record(const ir::NodeIr& desired);

// A short stable digest (hex) of the part of a live state that a plan of `desired`
// reads, for saved plans: a change elsewhere on the node does not make them stale.
std::string fingerprint(const ir::NodeIr& desired, const live::State& live);
// The same, for a planner that has indexed `desired` already (planner_index.hpp).
struct DesiredIndex;
std::string fingerprint(const DesiredIndex& desired, const live::State& live);

}  // namespace podnetc::plan
