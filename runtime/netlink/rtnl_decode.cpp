#include "runtime/netlink/rtnl_decode.hpp"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/neighbour.h>
#include <linux/net_namespace.h>
#include <linux/netconf.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "runtime/netlink/nl_attr.hpp"

namespace podnetc::rt {
namespace {

using nl::attr_as;
using nl::attr_payload;
using nl::attr_string;
using nl::attr_type;
using nl::AttrRange;

// An address attribute of either family: its payload is the address in network order.
std::optional<ip::Address> attr_address(const nlattr& attr) {
    const auto payload = attr_payload(attr);
    return ip::Address::from_bytes({reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size()});
}

std::optional<Mac> attr_mac(const nlattr& attr) {
    const auto payload = attr_payload(attr);
    if (payload.size() != 6) return std::nullopt;
    Mac mac;
    for (std::size_t i = 0; i < 6; ++i) mac.bytes[i] = static_cast<std::uint8_t>(payload[i]);
    return mac;
}

std::optional<bool> attr_flag_u8(const nlattr& attr) {
    const auto value = attr_as<std::uint8_t>(attr);
    if (!value) return std::nullopt;
    return *value != 0;
}

void decode_bridge_port(const nlattr& data, live::BridgePort& port) {
    for (const nlattr& attr : AttrRange::of_nested(data)) {
        switch (attr_type(attr)) {
            case IFLA_BRPORT_STATE:
                if (auto v = attr_as<std::uint8_t>(attr)) port.state = *v;
                break;
            case IFLA_BRPORT_MODE:
                if (auto v = attr_flag_u8(attr)) port.hairpin = *v;
                break;
            case IFLA_BRPORT_LEARNING:
                if (auto v = attr_flag_u8(attr)) port.learning = *v;
                break;
            case IFLA_BRPORT_UNICAST_FLOOD:
                if (auto v = attr_flag_u8(attr)) port.unicast_flood = *v;
                break;
            case IFLA_BRPORT_ISOLATED:
                if (auto v = attr_flag_u8(attr)) port.isolated = *v;
                break;
            default: break;
        }
    }
}

void decode_link_info(const nlattr& info, live::Link& link) {
    std::string slave_kind;
    const nlattr* slave_data = nullptr;
    for (const nlattr& attr : AttrRange::of_nested(info)) {
        switch (attr_type(attr)) {
            case IFLA_INFO_KIND: link.kind = attr_string(attr); break;
            case IFLA_INFO_SLAVE_KIND: slave_kind = attr_string(attr); break;
            case IFLA_INFO_SLAVE_DATA: slave_data = &attr; break;
            default: break;
        }
    }
    if (slave_kind == "bridge") {
        live::BridgePort port;
        if (slave_data != nullptr) decode_bridge_port(*slave_data, port);
        link.bridge_port = port;
    }
}

// IFLA_AF_SPEC / AF_INET / IFLA_INET_CONF: an array of u32, indexed by IPV4_DEVCONF_* - 1.
void decode_inet_conf(const nlattr& af_spec, live::Link& link) {
    for (const nlattr& family : AttrRange::of_nested(af_spec)) {
        if (attr_type(family) != AF_INET) continue;
        for (const nlattr& attr : AttrRange::of_nested(family)) {
            if (attr_type(attr) != IFLA_INET_CONF) continue;
            const auto payload = attr_payload(attr);
            auto devconf = [&](int id) -> std::optional<bool> {
                const std::size_t offset = static_cast<std::size_t>(id - 1) * 4;
                if (payload.size() < offset + 4) return std::nullopt;
                std::uint32_t value = 0;
                std::memcpy(&value, payload.data() + offset, 4);
                return value != 0;
            };
            link.forwarding = devconf(IPV4_DEVCONF_FORWARDING);
            link.proxy_arp = devconf(IPV4_DEVCONF_PROXY_ARP);
        }
    }
}

void decode_multipath(const nlattr& attr, RawRoute& raw) {
    const auto payload = attr_payload(attr);
    std::size_t offset = 0;
    while (payload.size() - offset >= sizeof(rtnexthop)) {
        rtnexthop hop;
        std::memcpy(&hop, payload.data() + offset, sizeof hop);
        if (hop.rtnh_len < sizeof(rtnexthop) || hop.rtnh_len > payload.size() - offset) break;
        live::Nexthop nexthop;
        nexthop.flags = hop.rtnh_flags;
        nexthop.weight = static_cast<std::uint32_t>(hop.rtnh_hops) + 1;
        const std::size_t attrs_at = offset + RTNH_ALIGN(sizeof(rtnexthop));
        if (hop.rtnh_len > RTNH_ALIGN(sizeof(rtnexthop))) {
            const AttrRange attrs(payload.data() + attrs_at, hop.rtnh_len - RTNH_ALIGN(sizeof(rtnexthop)));
            for (const nlattr& inner : attrs) {
                if (attr_type(inner) == RTA_GATEWAY) nexthop.gateway = attr_address(inner);
            }
        }
        raw.route.nexthops.push_back(nexthop);
        raw.nexthop_oifs.push_back(hop.rtnh_ifindex);
        offset += RTNH_ALIGN(hop.rtnh_len);
        if (offset > payload.size()) break;
    }
}

}  // namespace

std::optional<RawLink> decode_link(const nlmsghdr& message) {
    if (message.nlmsg_type != RTM_NEWLINK) return std::nullopt;
    const auto header = nl::family_header<ifinfomsg>(message);
    if (!header) return std::nullopt;
    RawLink raw;
    live::Link& link = raw.link;
    link.ifindex = header->ifi_index;
    link.flags = header->ifi_flags;
    bool named = false;
    for (const nlattr& attr : AttrRange::of_message(message, sizeof(ifinfomsg))) {
        switch (attr_type(attr)) {
            case IFLA_IFNAME:
                link.name = attr_string(attr);
                named = true;
                break;
            case IFLA_MTU:
                if (auto v = attr_as<std::uint32_t>(attr)) link.mtu = *v;
                break;
            case IFLA_ADDRESS: link.mac = attr_mac(attr); break;
            case IFLA_MASTER:
                if (auto v = attr_as<std::int32_t>(attr)) raw.master_ifindex = *v;
                break;
            case IFLA_LINK:
                if (auto v = attr_as<std::int32_t>(attr)) raw.peer_ifindex = *v;
                break;
            case IFLA_LINK_NETNSID: raw.peer_nsid = attr_as<std::int32_t>(attr); break;
            case IFLA_OPERSTATE:
                if (auto v = attr_as<std::uint8_t>(attr)) link.operstate = *v;
                break;
            case IFLA_IFALIAS: link.alias = attr_string(attr); break;
            case IFLA_GROUP:
                if (auto v = attr_as<std::uint32_t>(attr)) link.group = *v;
                break;
            case IFLA_LINKINFO: decode_link_info(attr, link); break;
            case IFLA_AF_SPEC: decode_inet_conf(attr, link); break;
            default: break;
        }
    }
    if (!named) return std::nullopt;
    // IFLA_LINK names the peer only for veths; other kinds use it for the lower device.
    if (link.kind != "veth") {
        raw.peer_ifindex = 0;
        raw.peer_nsid.reset();
    }
    return raw;
}

std::optional<RawAddress> decode_address(const nlmsghdr& message) {
    if (message.nlmsg_type != RTM_NEWADDR && message.nlmsg_type != RTM_DELADDR) return std::nullopt;
    const auto header = nl::family_header<ifaddrmsg>(message);
    if (!header || header->ifa_family != AF_INET || header->ifa_prefixlen > 32) return std::nullopt;
    RawAddress raw;
    live::Address& address = raw.address;
    address.ifindex = static_cast<std::int32_t>(header->ifa_index);
    address.local.len = header->ifa_prefixlen;
    address.scope = header->ifa_scope;
    address.flags = header->ifa_flags;
    std::optional<ip::Address> local;
    std::optional<ip::Address> remote;
    for (const nlattr& attr : AttrRange::of_message(message, sizeof(ifaddrmsg))) {
        switch (attr_type(attr)) {
            case IFA_LOCAL: local = attr_address(attr); break;
            case IFA_ADDRESS: remote = attr_address(attr); break;
            case IFA_FLAGS:
                if (auto v = attr_as<std::uint32_t>(attr)) address.flags = *v;
                break;
            case IFA_PROTO:
                if (auto v = attr_as<std::uint8_t>(attr)) address.protocol = *v;
                break;
            default: break;
        }
    }
    if (!local) local = remote;
    if (!local) return std::nullopt;
    address.local.addr = *local;
    if (remote && *remote != *local) address.peer = remote;
    return raw;
}

std::optional<RawRoute> decode_route(const nlmsghdr& message) {
    if (message.nlmsg_type != RTM_NEWROUTE && message.nlmsg_type != RTM_DELROUTE) return std::nullopt;
    const auto header = nl::family_header<rtmsg>(message);
    if (!header || header->rtm_family != AF_INET || header->rtm_dst_len > 32) return std::nullopt;
    RawRoute raw;
    live::Route& route = raw.route;
    route.table = header->rtm_table;
    route.dst.len = header->rtm_dst_len;
    route.scope = header->rtm_scope;
    route.protocol = header->rtm_protocol;
    route.type = header->rtm_type;
    route.flags = header->rtm_flags;
    for (const nlattr& attr : AttrRange::of_message(message, sizeof(rtmsg))) {
        switch (attr_type(attr)) {
            case RTA_TABLE:
                if (auto v = attr_as<std::uint32_t>(attr)) route.table = *v;
                break;
            case RTA_DST:
                if (auto v = attr_address(attr)) route.dst.addr = *v;
                break;
            case RTA_GATEWAY: route.gateway = attr_address(attr); break;
            case RTA_OIF:
                if (auto v = attr_as<std::int32_t>(attr)) raw.oif = *v;
                break;
            case RTA_PREFSRC: route.prefsrc = attr_address(attr); break;
            case RTA_PRIORITY:
                if (auto v = attr_as<std::uint32_t>(attr)) route.metric = *v;
                break;
            case RTA_MULTIPATH: decode_multipath(attr, raw); break;
            default: break;
        }
    }
    return raw;
}

std::optional<RawNeighbor> decode_neighbor(const nlmsghdr& message) {
    if (message.nlmsg_type != RTM_NEWNEIGH && message.nlmsg_type != RTM_DELNEIGH) return std::nullopt;
    const auto header = nl::family_header<ndmsg>(message);
    if (!header || header->ndm_family != AF_INET) return std::nullopt;
    RawNeighbor raw;
    raw.ifindex = header->ndm_ifindex;
    live::Neighbor& neighbor = raw.neighbor;
    neighbor.state = header->ndm_state;
    neighbor.flags = header->ndm_flags;
    bool has_dst = false;
    for (const nlattr& attr : AttrRange::of_message(message, sizeof(ndmsg))) {
        switch (attr_type(attr)) {
            case NDA_DST:
                if (auto v = attr_address(attr)) {
                    neighbor.dst = *v;
                    has_dst = true;
                }
                break;
            case NDA_LLADDR: neighbor.lladdr = attr_mac(attr); break;
            case NDA_PROTOCOL:
                if (auto v = attr_as<std::uint8_t>(attr)) neighbor.protocol = *v;
                break;
            default: break;
        }
    }
    if (!has_dst) return std::nullopt;
    return raw;
}

std::optional<RawNeighParms> decode_neigh_parms(const nlmsghdr& message) {
    if (message.nlmsg_type != RTM_NEWNEIGHTBL) return std::nullopt;
    for (const nlattr& attr : AttrRange::of_message(message, sizeof(ndtmsg))) {
        if (attr_type(attr) != NDTA_PARMS) continue;
        RawNeighParms parms;
        for (const nlattr& inner : AttrRange::of_nested(attr)) {
            switch (attr_type(inner)) {
                case NDTPA_IFINDEX:
                    if (auto v = attr_as<std::int32_t>(inner)) parms.ifindex = *v;
                    break;
                case NDTPA_PROXY_DELAY:
                    if (auto v = attr_as<std::uint64_t>(inner)) {
                        parms.proxy_delay_ms = static_cast<std::uint32_t>(std::min<std::uint64_t>(*v, UINT32_MAX));
                    }
                    break;
                default: break;
            }
        }
        if (parms.ifindex == 0) return std::nullopt;
        return parms;
    }
    return std::nullopt;
}

std::optional<std::int32_t> decode_nsid(const nlmsghdr& message) {
    if (message.nlmsg_type != RTM_NEWNSID) return std::nullopt;
    for (const nlattr& attr : AttrRange::of_message(message, sizeof(rtgenmsg))) {
        if (attr_type(attr) != NETNSA_NSID) continue;
        const auto nsid = attr_as<std::int32_t>(attr);
        if (!nsid || *nsid < 0) return std::nullopt;  // NETNSA_NSID_NOT_ASSIGNED
        return nsid;
    }
    return std::nullopt;
}

std::optional<bool> decode_netconf_forwarding(const nlmsghdr& message) {
    if (message.nlmsg_type != RTM_NEWNETCONF) return std::nullopt;
    for (const nlattr& attr : AttrRange::of_message(message, sizeof(netconfmsg))) {
        if (attr_type(attr) != NETCONFA_FORWARDING) continue;
        if (auto v = attr_as<std::int32_t>(attr)) return *v != 0;
    }
    return std::nullopt;
}

}  // namespace podnetc::rt
