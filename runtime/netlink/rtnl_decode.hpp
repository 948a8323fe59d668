// rtnetlink messages -> raw records. Faithful: no filtering policy here (that is
// live_assemble's), and every attribute is length-checked; a message that is not
// what it claims to be decodes to nullopt.
#pragma once

#include <cstdint>
#include <optional>

#include <linux/netlink.h>

#include "runtime/netlink/rtnl_records.hpp"

namespace podnetc::rt {

std::optional<RawLink> decode_link(const nlmsghdr& message);            // RTM_NEWLINK
// Addresses, routes and neighbours: also their RTM_DEL* notifications (the same body).
std::optional<RawAddress> decode_address(const nlmsghdr& message);      // RTM_NEWADDR, AF_INET only
std::optional<RawRoute> decode_route(const nlmsghdr& message);          // RTM_NEWROUTE, AF_INET only
std::optional<RawNeighbor> decode_neighbor(const nlmsghdr& message);    // RTM_NEWNEIGH, AF_INET only
// RTM_NEWNEIGHTBL: the per-device parameters; nullopt for the table-wide message.
std::optional<RawNeighParms> decode_neigh_parms(const nlmsghdr& message);
// RTM_NEWNSID: the nsid, or nullopt when the namespace has none in the asker's view.
std::optional<std::int32_t> decode_nsid(const nlmsghdr& message);
// RTM_NEWNETCONF: NETCONFA_FORWARDING.
std::optional<bool> decode_netconf_forwarding(const nlmsghdr& message);

}  // namespace podnetc::rt
