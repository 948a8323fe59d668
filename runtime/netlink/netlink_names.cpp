#include "runtime/netlink/netlink_names.hpp"

#include <linux/if.h>
#include <linux/ip.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace podnetc::rt::names {
namespace {

template <class T, std::size_t N>
std::string lookup(const std::array<std::pair<T, std::string_view>, N>& table, T value) {
    for (const auto& [known, name] : table) {
        if (known == value) return std::string{name};
    }
    return fmt::format("{}", value);
}

// Bit sets as "a|b", unknown bits as one number at the end.
template <class T, std::size_t N>
std::string bits(const std::array<std::pair<T, std::string_view>, N>& table, T value) {
    std::vector<std::string_view> parts;
    T rest = value;
    for (const auto& [bit, name] : table) {
        if ((value & bit) != 0) {
            parts.push_back(name);
            rest = static_cast<T>(rest & ~bit);
        }
    }
    std::string text = fmt::format("{}", fmt::join(parts, "|"));
    if (rest != 0) text += fmt::format("{}{:#x}", text.empty() ? "" : "|", rest);
    return text;
}

}  // namespace

std::string message_type(std::uint16_t type) {
    static constexpr std::array<std::pair<std::uint16_t, std::string_view>, 24> kTypes{{
        {NLMSG_NOOP, "NLMSG_NOOP"},         {NLMSG_ERROR, "NLMSG_ERROR"},
        {NLMSG_DONE, "NLMSG_DONE"},         {NLMSG_OVERRUN, "NLMSG_OVERRUN"},
        {RTM_NEWLINK, "RTM_NEWLINK"},       {RTM_DELLINK, "RTM_DELLINK"},
        {RTM_GETLINK, "RTM_GETLINK"},       {RTM_SETLINK, "RTM_SETLINK"},
        {RTM_NEWADDR, "RTM_NEWADDR"},       {RTM_DELADDR, "RTM_DELADDR"},
        {RTM_GETADDR, "RTM_GETADDR"},       {RTM_NEWROUTE, "RTM_NEWROUTE"},
        {RTM_DELROUTE, "RTM_DELROUTE"},     {RTM_GETROUTE, "RTM_GETROUTE"},
        {RTM_NEWNEIGH, "RTM_NEWNEIGH"},     {RTM_DELNEIGH, "RTM_DELNEIGH"},
        {RTM_GETNEIGH, "RTM_GETNEIGH"},     {RTM_NEWNEIGHTBL, "RTM_NEWNEIGHTBL"},
        {RTM_GETNEIGHTBL, "RTM_GETNEIGHTBL"}, {RTM_SETNEIGHTBL, "RTM_SETNEIGHTBL"},
        {RTM_NEWNETCONF, "RTM_NEWNETCONF"}, {RTM_GETNETCONF, "RTM_GETNETCONF"},
        {RTM_NEWNSID, "RTM_NEWNSID"},       {RTM_GETNSID, "RTM_GETNSID"},
    }};
    for (const auto& [known, name] : kTypes) {
        if (known == type) return std::string{name};
    }
    return fmt::format("type#{}", type);
}

std::string request_flags(std::uint16_t type, std::uint16_t flags) {
    std::vector<std::string_view> parts;
    // The meaning of the high bits depends on the request: NEW* or GET*.
    const bool get = type >= RTM_BASE && type % 4 == RTM_GETLINK % 4;
    const bool del = type >= RTM_BASE && type % 4 == RTM_DELLINK % 4;
    std::uint16_t rest = flags & ~(NLM_F_REQUEST | NLM_F_ACK);
    const auto take = [&](std::uint16_t bit, std::string_view name) {
        if ((rest & bit) == bit) {
            parts.push_back(name);
            rest = static_cast<std::uint16_t>(rest & ~bit);
        }
    };
    take(NLM_F_ECHO, "echo");
    if (get) {
        take(NLM_F_DUMP, "dump");
        take(NLM_F_ROOT, "root");
        take(NLM_F_MATCH, "match");
        take(NLM_F_ATOMIC, "atomic");
    } else if (del) {
        take(NLM_F_NONREC, "nonrec");
        take(NLM_F_BULK, "bulk");
    } else {
        take(NLM_F_CREATE, "create");
        take(NLM_F_EXCL, "excl");
        take(NLM_F_REPLACE, "replace");
        take(NLM_F_APPEND, "append");
    }
    if ((flags & NLM_F_REQUEST) == 0) parts.push_back("not-a-request");
    if ((flags & NLM_F_ACK) == 0) parts.push_back("no-ack");
    std::string text = fmt::format("{}", fmt::join(parts, ","));
    if (rest != 0) text += fmt::format("{}{:#x}", text.empty() ? "" : ",", rest);
    return text;
}

std::string route_table(std::uint32_t table) {
    static constexpr std::array<std::pair<std::uint32_t, std::string_view>, 4> kTables{{
        {RT_TABLE_UNSPEC, "unspec"}, {RT_TABLE_DEFAULT, "default"}, {RT_TABLE_MAIN, "main"}, {RT_TABLE_LOCAL, "local"},
    }};
    return lookup(kTables, table);
}

std::string route_protocol(std::uint8_t protocol) {
    static constexpr std::array<std::pair<std::uint8_t, std::string_view>, 5> kProtocols{{
        {RTPROT_UNSPEC, "unspec"}, {RTPROT_REDIRECT, "redirect"}, {RTPROT_KERNEL, "kernel"},
        {RTPROT_BOOT, "boot"},     {RTPROT_STATIC, "static"},
    }};
    return lookup(kProtocols, protocol);
}

std::string route_scope(std::uint8_t scope) {
    static constexpr std::array<std::pair<std::uint8_t, std::string_view>, 5> kScopes{{
        {RT_SCOPE_UNIVERSE, "universe"}, {RT_SCOPE_SITE, "site"}, {RT_SCOPE_LINK, "link"},
        {RT_SCOPE_HOST, "host"},         {RT_SCOPE_NOWHERE, "nowhere"},
    }};
    return lookup(kScopes, scope);
}

std::string route_type(std::uint8_t type) {
    static constexpr std::array<std::pair<std::uint8_t, std::string_view>, 12> kTypes{{
        {RTN_UNSPEC, "unspec"},       {RTN_UNICAST, "unicast"},         {RTN_LOCAL, "local"},
        {RTN_BROADCAST, "broadcast"}, {RTN_ANYCAST, "anycast"},         {RTN_MULTICAST, "multicast"},
        {RTN_BLACKHOLE, "blackhole"}, {RTN_UNREACHABLE, "unreachable"}, {RTN_PROHIBIT, "prohibit"},
        {RTN_THROW, "throw"},         {RTN_NAT, "nat"},                 {RTN_XRESOLVE, "xresolve"},
    }};
    return lookup(kTypes, type);
}

std::string neighbor_state(std::uint16_t state) {
    static constexpr std::array<std::pair<std::uint16_t, std::string_view>, 8> kStates{{
        {NUD_INCOMPLETE, "incomplete"}, {NUD_REACHABLE, "reachable"}, {NUD_STALE, "stale"},
        {NUD_DELAY, "delay"},           {NUD_PROBE, "probe"},         {NUD_FAILED, "failed"},
        {NUD_NOARP, "noarp"},           {NUD_PERMANENT, "permanent"},
    }};
    return state == NUD_NONE ? std::string{"none"} : bits(kStates, state);
}

std::string link_flags(std::uint32_t flags) {
    static constexpr std::array<std::pair<std::uint32_t, std::string_view>, 10> kFlags{{
        {IFF_UP, "up"},           {IFF_BROADCAST, "broadcast"}, {IFF_LOOPBACK, "loopback"},
        {IFF_POINTOPOINT, "pointopoint"}, {IFF_RUNNING, "running"}, {IFF_NOARP, "noarp"},
        {IFF_PROMISC, "promisc"}, {IFF_MULTICAST, "multicast"}, {IFF_LOWER_UP, "lower_up"},
        {IFF_DORMANT, "dormant"},
    }};
    return flags == 0 ? std::string{"none"} : bits(kFlags, flags);
}

std::string address_family(std::uint8_t family) {
    switch (family) {
    case AF_UNSPEC: return "unspec";
    case AF_INET: return "inet";
    case AF_INET6: return "inet6";
    case AF_BRIDGE: return "bridge";
    default: return fmt::format("family#{}", family);
    }
}

std::string ipv4_devconf(std::uint16_t index) {
    // linux/ip.h, IPV4_DEVCONF_FORWARDING = 1 onwards.
    static constexpr std::array<std::string_view, 33> kDevconf{
        "forwarding",        "mc_forwarding",  "proxy_arp",        "accept_redirects",
        "secure_redirects",  "send_redirects", "shared_media",     "rp_filter",
        "accept_source_route", "bootp_relay",  "log_martians",     "tag",
        "arp_filter",        "medium_id",      "disable_xfrm",     "disable_policy",
        "force_igmp_version", "arp_announce",  "arp_ignore",       "promote_secondaries",
        "arp_accept",        "arp_notify",     "accept_local",     "src_valid_mark",
        "proxy_arp_pvlan",   "route_localnet", "igmpv2_unsolicited_report_interval",
        "igmpv3_unsolicited_report_interval", "ignore_routes_with_linkdown",
        "drop_unicast_in_l2_multicast", "drop_gratuitous_arp", "bc_forwarding", "arp_evict_nocarrier",
    };
    static_assert(IPV4_DEVCONF_FORWARDING == 1 && IPV4_DEVCONF_PROXY_ARP == 3);
    static_assert(IPV4_DEVCONF_ARP_EVICT_NOCARRIER == kDevconf.size());
    if (index >= 1 && index <= kDevconf.size()) return std::string{kDevconf[index - 1]};
    return fmt::format("devconf#{}", index);
}

std::string error_code(int error) {
    const char* name = strerrorname_np(error);
    const char* description = strerrordesc_np(error);
    if (name == nullptr) return fmt::format("error {}", error);
    return fmt::format("{} ({})", name, description != nullptr ? description : "");
}

}  // namespace podnetc::rt::names
