// The read requests podnetc sends, each appended to a RequestBatch. They are
// written for NETLINK_GET_STRICT_CHK: headers zero except the documented filters.
#pragma once

#include "runtime/netlink/nl_batch.hpp"

namespace podnetc::rt {

// Each returns false when the batch's buffer has no room (nothing is added then).
bool add_link_dump(nl::RequestBatch& batch);          // RTM_GETLINK, statistics left out
bool add_address_dump(nl::RequestBatch& batch);       // RTM_GETADDR, AF_INET
bool add_route_dump(nl::RequestBatch& batch);         // RTM_GETROUTE, AF_INET, every table
bool add_neighbor_dump(nl::RequestBatch& batch);      // RTM_GETNEIGH, AF_INET
bool add_neigh_table_dump(nl::RequestBatch& batch);   // RTM_GETNEIGHTBL, AF_INET (arp_cache)
// RTM_GETNSID: the nsid the socket's namespace gives the namespace open as `netns_fd`.
bool add_nsid_query(nl::RequestBatch& batch, int netns_fd);
// RTM_GETNETCONF for NETCONFA_IFINDEX_ALL: net.ipv4.conf.all (forwarding = ip_forward).
bool add_ipv4_netconf_query(nl::RequestBatch& batch);

}  // namespace podnetc::rt
