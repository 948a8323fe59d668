// Kernel objects as plan steps carry them. A request names an object with exactly
// what a netlink request can set; what the kernel adds on its own (address flags
// such as IFA_F_PERMANENT, a route's flags other than onlink, multipath nexthops,
// neighbour flags) is left out, so that a step made from a live object and one made
// from a declaration compare, print and encode alike.
#pragma once

#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"

namespace podnetc::plan {

// The request that (re-)creates an object exactly.
kernel::Address request(const kernel::Address& address);
kernel::Route request(const kernel::Route& route);
kernel::Neighbor request(const kernel::Neighbor& neighbor);

// What a dump shows after an address was created by a request (IFA_F_PERMANENT).
live::Address observed(const kernel::Address& requested);

}  // namespace podnetc::plan
