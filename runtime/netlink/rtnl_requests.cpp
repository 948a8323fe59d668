#include "runtime/netlink/rtnl_requests.hpp"

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/net_namespace.h>
#include <linux/netconf.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

namespace podnetc::rt {
namespace {

template <class Header>
bool add_simple(nl::RequestBatch& batch, std::uint16_t type, std::uint16_t flags, const Header& header) {
    return batch.add(type, flags, header).ok();
}

bool finish(nl::RequestBatch& batch, const nl::MessageWriter& writer) {
    if (writer.ok()) return true;
    if (writer.message() != nullptr) batch.drop_last();
    return false;
}

}  // namespace

bool add_link_dump(nl::RequestBatch& batch) {
    ifinfomsg header{};
    header.ifi_family = AF_UNSPEC;
    auto writer = batch.add(RTM_GETLINK, NLM_F_DUMP, header);
    // Statistics are most of a link message's size, and podnetc never reads them.
    writer.put_u32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    return finish(batch, writer);
}

bool add_address_dump(nl::RequestBatch& batch) {
    ifaddrmsg header{};
    header.ifa_family = AF_INET;
    return add_simple(batch, RTM_GETADDR, NLM_F_DUMP, header);
}

bool add_route_dump(nl::RequestBatch& batch) {
    rtmsg header{};
    header.rtm_family = AF_INET;
    header.rtm_table = RT_TABLE_UNSPEC;  // every table
    return add_simple(batch, RTM_GETROUTE, NLM_F_DUMP, header);
}

bool add_neighbor_dump(nl::RequestBatch& batch) {
    ndmsg header{};
    header.ndm_family = AF_INET;
    return add_simple(batch, RTM_GETNEIGH, NLM_F_DUMP, header);
}

bool add_neigh_table_dump(nl::RequestBatch& batch) {
    ndtmsg header{};
    header.ndtm_family = AF_INET;
    return add_simple(batch, RTM_GETNEIGHTBL, NLM_F_DUMP, header);
}

bool add_nsid_query(nl::RequestBatch& batch, int netns_fd) {
    rtgenmsg header{};
    header.rtgen_family = AF_UNSPEC;
    auto writer = batch.add(RTM_GETNSID, 0, header);
    writer.put_u32(NETNSA_FD, static_cast<std::uint32_t>(netns_fd));
    return finish(batch, writer);
}

bool add_ipv4_netconf_query(nl::RequestBatch& batch) {
    netconfmsg header{};
    header.ncm_family = AF_INET;
    auto writer = batch.add(RTM_GETNETCONF, 0, header);
    writer.put_s32(NETCONFA_IFINDEX, NETCONFA_IFINDEX_ALL);
    return finish(batch, writer);
}

}  // namespace podnetc::rt
