// Attribute comparison of a declared object with a live one: only what podnetc
// manages and the file declares (an MTU of 0, a MAC or devconf that is not
// declared: don't care; `up` is IFF_UP, never operstate or carrier).
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"

namespace podnetc::plan {

struct LinkDiff {
    LinkChange change;                 // the fields to set
    std::vector<std::string> details;  // "mtu 1500 -> 1450", …

    bool any() const;
};

// Identity-level match: same kind and, for a veth, the same peer (netns, name).
// A mismatch cannot be changed in place: the link is deleted and re-created.
bool same_kind_and_peer(const ir::Link& want, const live::Link& have);
std::string kind_and_peer_difference(const ir::Link& want, const live::Link& have);

// `set_group`: also put the link into podnetc's group (ownership marker).
LinkDiff diff_link(const ir::Link& want, const live::Link& have, bool set_group);
// "proxy_delay 80 -> 0", or "" when it matches or is not declared.
std::string diff_proxy_delay(const ir::Link& want, const live::Link& have);

// `adopting`: the protocol (ownership marker) changes anyway and is not listed.
std::vector<std::string> diff_route(const kernel::Route& want, const live::Route& have, bool adopting);
// A `proto kernel` route (a prefix route) that is exactly what the file declares.
bool kernel_route_satisfies(const kernel::Route& want, const live::Route& have);
std::vector<std::string> diff_neighbor(const kernel::Neighbor& want, const live::Neighbor& have, bool adopting);

}  // namespace podnetc::plan
