// Objects the kernel makes by itself, not at anyone's request (docs/PLANNER.md,
// "What is compared"): `lo`; the 127.0.0.1/8 it gives `lo` (IFA_PROTO kernel_lo on
// kernels that mark it, unmarked on older ones) and addresses it marks kernel_ra or
// kernel_ll; routes of protocol `kernel` (prefix routes, and every local and
// broadcast route it derives from an address, in the local table).
//
// What someone added — an address on `lo` other than 127.0.0.1/8, a route added by
// hand to the local table — is not kernel-made, whichever device or table holds it:
// `show` lists it, and an inverse restores it like any other object.
#pragma once

#include "compiler/live/live_state.hpp"

namespace podnetc::live {

bool kernel_made(const Link& link);
bool kernel_made(const Address& address);
bool kernel_made(const Route& route);

}  // namespace podnetc::live
