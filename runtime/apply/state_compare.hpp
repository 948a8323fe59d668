// Is the node as it was? After a rollback (or a crash recovery) the state re-read
// from the kernel is compared with the state read before the apply, object by
// object, and every difference is named.
//
// The comparison is exact except for what the kernel derives by itself and no
// request sets: carrier-dependent bits (IFF_RUNNING, IFF_LOWER_UP, IFF_DORMANT,
// operstate, a bridge port's STP state, a route's linkdown/dead flags), the
// ifindex copied into addresses (the device's own ifindex is compared), and the
// last-applied record (a file, not kernel state). Ifindexes and MACs are compared:
// the encoder pins both when it re-creates a link.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"

namespace podnetc::rt {

// The state as compared: derived fields cleared, canonical order.
live::State comparable(live::State state);

// One line per difference, in canonical order ("" namespaces read "host"):
//   "link veth1 in host: mac is 02:00:00:00:00:01, was ee:ee:ee:ee:ee:ee"
//   "route 10.10.1.10/32 dev veth1 scope 253 proto 176 in host: left over"
//   "address 10.10.1.10/32 dev eth0 scope 0 proto 176 in pod-1: missing"
//   "route 0.0.0.0/0 via 10.0.0.1 dev eth0 … in host: now \"route 0.0.0.0/0 via 10.0.0.2 …\""
// Empty when the states are the same.
std::vector<std::string> state_differences(const live::State& before, const live::State& after);

// The differences, split by who can have made them. podnetc's: objects that carry
// its marker on either side, everything in a namespace it owns on either side,
// and objects a step of `plan` names (forward or inverse) unless they appeared
// without podnetc's marker (podnetc marks whatever it creates). Everything else
// (a foreign object created, removed or changed meanwhile) is someone else's:
// an undo neither caused nor can repair that. So are the objects of the operations
// `ops_of_others`: another process changed them during the apply (other_writers.hpp).
struct SplitDifferences {
    std::vector<std::string> ours;
    std::vector<std::string> others;
};
SplitDifferences split_differences(const live::State& before, const live::State& after, const plan::Plan& plan,
                                   const std::set<std::size_t>& ops_of_others = {});

}  // namespace podnetc::rt
