#include "runtime/watch/notification_filter.hpp"

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "compiler/objects/ownership.hpp"

namespace podnetc::rt {
namespace {

bool neighbour_matters(const nlmsghdr& message) {
    if (mnl_nlmsg_get_payload_len(&message) < sizeof(ndmsg)) return false;
    const auto* neighbour = static_cast<const ndmsg*>(mnl_nlmsg_get_payload(&message));
    if (neighbour->ndm_state & (NUD_PERMANENT | NUD_NOARP)) return true;
    // A deleted permanent entry is announced in state FAILED; its protocol tells it is podnetc's.
    bool owned = false;
    mnl_attr_parse(
        &message, sizeof(ndmsg),
        [](const nlattr* attribute, void* data) {
            if (mnl_attr_get_type(attribute) == NDA_PROTOCOL && mnl_attr_get_payload_len(attribute) >= 1) {
                *static_cast<bool*>(data) = mnl_attr_get_u8(attribute) == kOwnedProtocol;
            }
            return MNL_CB_OK;
        },
        &owned);
    return owned;
}

bool route_matters(const nlmsghdr& message) {
    if (mnl_nlmsg_get_payload_len(&message) < sizeof(rtmsg)) return false;
    const auto* route = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(&message));
    if (route->rtm_flags & RTM_F_CLONED) return false;
    if (route->rtm_table == RT_TABLE_LOCAL) return false;
    // The kernel's own IPv6 routes (fe80::/64, multicast) follow every link that comes up.
    return !(route->rtm_family == AF_INET6 && route->rtm_protocol == RTPROT_KERNEL);
}

// Link-local IPv6 addresses are the kernel's (one per link that comes up, then its
// DAD state changes); podnetc declares none.
bool address_matters(const nlmsghdr& message) {
    if (mnl_nlmsg_get_payload_len(&message) < sizeof(ifaddrmsg)) return false;
    const auto* address = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(&message));
    return !(address->ifa_family == AF_INET6 && address->ifa_scope == RT_SCOPE_LINK);
}

}  // namespace

bool notification_matters(const nlmsghdr& message) {
    switch (message.nlmsg_type) {
    case RTM_NEWLINK:
    case RTM_DELLINK:
        return true;
    case RTM_NEWADDR:
    case RTM_DELADDR:
        return address_matters(message);
    case RTM_NEWROUTE:
    case RTM_DELROUTE:
        return route_matters(message);
    case RTM_NEWNEIGH:
    case RTM_DELNEIGH:
        return neighbour_matters(message);
    default:
        return false;
    }
}

}  // namespace podnetc::rt
