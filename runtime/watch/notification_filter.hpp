// Which rtnetlink notifications can mean that the node no longer matches the file.
// Traffic makes the kernel announce learned neighbours all the time (every ARP
// exchange, every state change of a dynamic entry), and cached or local-table
// routes follow every address: reacting to those would re-plan on every packet
// burst. The kernel's own objects are never podnetc's, so they are skipped
// (local-table and cached routes, IPv6 link-local addresses and kernel routes);
// everything else — links, addresses, main-table routes, permanent or podnetc's
// neighbours — counts.
#pragma once

#include <linux/netlink.h>

namespace podnetc::rt {

bool notification_matters(const nlmsghdr& message);

}  // namespace podnetc::rt
