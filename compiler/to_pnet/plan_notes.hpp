// The notes of `show --as pnet` on what the plan of the written file does: one per
// operation that is more than a takeover, one per conflict, in plan order, worded
// from the operation itself ("host: ARP proxy_delay of veth1 is 800 ms; the plan
// will set 0"). Each note starts with the namespace it is about ("host", "pod-1").
#pragma once

#include <string>
#include <vector>

#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"

namespace podnetc::live {

// `state` is what the plan was made against (for the values an operation replaces).
std::vector<std::string> plan_notes(const plan::Plan& plan, const State& state);

// How the notes name kernel objects; the namespace is the note's prefix, so devices
// are not qualified: "route default via 169.254.1.1 dev eth0".
std::string object_text(const kernel::Address& address);
std::string object_text(const kernel::Route& route);
std::string object_text(const kernel::Neighbor& neighbor);

}  // namespace podnetc::live
