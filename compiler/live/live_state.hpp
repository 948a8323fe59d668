// LiveState: what the kernel has, as a plain value. runtime/ fills it from
// rtnetlink dumps; `show --json` writes it and `plan --state-from` reads it back, so
// planning is testable without root. Everything is named, not numbered: ifindexes
// are kept only so the applier can address objects, and never drive a decision.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/net/net_types.hpp"

namespace podnetc::live {

// A namespace podnetc can see: the host ("") and every named one under /run/netns.
struct Netns {
    std::string name;
    bool owned = false;  // listed in podnetc's namespace registry
    // Why the namespace's contents could not be read (e.g. a stale /run/netns file
    // whose mount is gone); "" when they were. Such a namespace contributes no objects.
    std::string unreadable;
    friend bool operator==(const Netns&, const Netns&) = default;
};

// Settings of a bridge port (IFLA_INFO_SLAVE_DATA of a link whose master is a bridge).
struct BridgePort {
    std::uint8_t state = 3;       // BR_STATE_* (3 = forwarding)
    bool hairpin = false;         // IFLA_BRPORT_MODE
    bool learning = true;
    bool unicast_flood = true;
    bool isolated = false;
    friend bool operator==(const BridgePort&, const BridgePort&) = default;
};

struct Link {
    std::string netns;
    std::int32_t ifindex = 0;
    std::string name;
    std::string kind;  // IFLA_INFO_KIND ("veth", "bridge", …); "" for none (lo, physical)
    // veth: the peer, resolved to a namespace name; peer_netns is "?" when the peer
    // lives in a namespace that has no name under /run/netns.
    std::string peer_netns;
    std::string peer_name;
    std::string master;  // name of the master device in the same namespace, or ""
    std::optional<Mac> mac;
    std::uint32_t mtu = 0;
    std::uint32_t flags = 0;      // IFF_* (IFF_UP, IFF_LOWER_UP, IFF_LOOPBACK, …)
    std::uint8_t operstate = 0;   // IF_OPER_*
    std::string alias;
    std::uint32_t group = 0;
    std::optional<bool> proxy_arp;
    std::optional<bool> forwarding;
    // ARP neighbour-table proxy_delay; read for host links only (the kernel makes
    // this dump cost O(all namespaces' devices), and only host veths need it).
    std::optional<std::uint32_t> proxy_delay_ms;
    std::optional<BridgePort> bridge_port;  // set for ports of a bridge

    bool up() const { return (flags & 0x1u) != 0; }  // IFF_UP
    friend bool operator==(const Link&, const Link&) = default;
};

struct Address {
    std::string netns;
    std::string dev;
    std::int32_t ifindex = 0;
    Ipv4Prefix local;             // IFA_LOCAL with ifa_prefixlen
    std::optional<Ipv4> peer;     // IFA_ADDRESS when it differs from IFA_LOCAL
    std::uint8_t scope = 0;
    std::uint32_t flags = 0;      // IFA_F_*
    std::uint8_t protocol = 0;    // IFA_PROTO
    friend bool operator==(const Address&, const Address&) = default;
};

// One path of a multipath route (RTA_MULTIPATH).
struct Nexthop {
    std::optional<Ipv4> gateway;
    std::string dev;
    std::uint32_t flags = 0;      // RTNH_F_*
    std::uint32_t weight = 1;     // rtnh_hops + 1
    friend bool operator==(const Nexthop&, const Nexthop&) = default;
};

struct Route {
    std::string netns;
    std::uint32_t table = 254;    // RT_TABLE_MAIN
    Ipv4Prefix dst;
    std::optional<Ipv4> gateway;
    std::string dev;              // "" for routes without an output device (blackhole…)
    std::uint8_t scope = 0;       // RT_SCOPE_*
    std::uint8_t protocol = 0;    // RTPROT_*
    std::uint8_t type = 1;        // RTN_*
    std::uint32_t flags = 0;      // RTNH_F_* (RTNH_F_ONLINK = 4)
    std::optional<Ipv4> prefsrc;
    std::uint32_t metric = 0;
    // A multipath route: its paths (gateway and dev above are then unset); else empty.
    std::vector<Nexthop> nexthops;
    friend bool operator==(const Route&, const Route&) = default;
};

struct Neighbor {
    std::string netns;
    std::string dev;
    Ipv4 dst;
    std::optional<Mac> lladdr;
    std::uint16_t state = 0;      // NUD_*
    std::uint8_t flags = 0;       // NTF_*
    std::uint8_t protocol = 0;    // NDA_PROTOCOL
    friend bool operator==(const Neighbor&, const Neighbor&) = default;
};

struct State {
    std::vector<Netns> namespaces;  // always contains the host namespace ""
    std::vector<Link> links;
    std::vector<Address> addresses;  // IPv4 only
    std::vector<Route> routes;       // IPv4 only
    std::vector<Neighbor> neighbors; // IPv4, permanent entries only
    std::optional<bool> ip_forward;  // net.ipv4.ip_forward of the host namespace
    // What the last successful apply on this node declared, read from the state
    // directory: object key -> canonical text of the declared object (planner.hpp).
    // It tells drift (the kernel moved away from it) from changes in the file (the
    // file moved away from it). nullopt: no record (never applied, or state lost).
    std::optional<std::map<std::string, std::string>> last_applied;
    friend bool operator==(const State&, const State&) = default;
};

}  // namespace podnetc::live
