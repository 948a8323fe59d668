// The kernel objects podnetc reads, plans and writes, one type per kind, as the
// kernel holds them: what a dump reports, what a plan step creates, changes or
// deletes, and what the IR asks for are the same types. They differ only in what
// wraps them:
//   - desired (ir.hpp):   Desired<T> adds the pod it exists for, the adopt flag and
//                         the source range of the declaration that asked for it;
//   - observed (live_state.hpp): live adds what only the kernel knows (ifindex, and
//                         for namespaces whether podnetc's registry lists them).
// Objects are name-based: a device is (netns, name), a veth peer and a bridge master
// are names, never ifindexes (ARCHITECTURE.md, "Contracts between the layers").
// Addresses are ip::Address / ip::Prefix, of either family.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/net/ip.hpp"
#include "compiler/net/net_types.hpp"
#include "compiler/objects/kernel_values.hpp"

namespace podnetc::kernel {

// A network namespace: the host ("") or a named one under /run/netns.
struct Netns {
    std::string name;
    friend bool operator==(const Netns&, const Netns&) = default;
};

// IFLA_INFO_KIND of the links podnetc creates ("" for none: lo, physical devices).
inline constexpr std::string_view kVeth = "veth";
inline constexpr std::string_view kBridge = "bridge";

// Settings of a bridge port (IFLA_INFO_SLAVE_DATA of a link whose master is a bridge).
struct BridgePort {
    std::uint8_t state = 3;  // BR_STATE_* (3 = forwarding)
    bool hairpin = false;    // IFLA_BRPORT_MODE
    bool learning = true;
    bool unicast_flood = true;
    bool isolated = false;
    friend bool operator==(const BridgePort&, const BridgePort&) = default;
};

struct Link {
    std::string netns;
    std::string name;
    std::string kind;  // IFLA_INFO_KIND: kVeth, kBridge, …; "" for none
    // veth: the other end; peer_netns is "?" when the kernel reports the peer in a
    // namespace that has no name under /run/netns.
    std::string peer_netns;
    std::string peer_name;
    std::string master;  // bridge of this port (same namespace), or ""
    std::optional<Mac> mac;
    std::uint32_t mtu = 0;       // 0: kernel default
    std::uint32_t flags = 0;      // IFF_* (IFF_UP, IFF_LOWER_UP, IFF_LOOPBACK, …)
    std::uint8_t operstate = 0;  // IF_OPER_*
    std::string alias;
    std::uint32_t group = 0;
    // Per-interface IPv4 settings; nullopt: not read, or (desired) don't care.
    std::optional<bool> proxy_arp;
    std::optional<bool> forwarding;
    // ARP neighbour-table proxy_delay of the device.
    std::optional<std::uint32_t> proxy_delay_ms;
    std::optional<BridgePort> bridge_port;  // set for ports of a bridge

    bool up() const { return (flags & kIffUp) != 0; }
    bool is_veth() const { return kind == kVeth; }
    bool is_bridge() const { return kind == kBridge; }
    friend bool operator==(const Link&, const Link&) = default;
};

struct Address {
    std::string netns;
    std::string dev;
    ip::Prefix local;                // IFA_LOCAL with ifa_prefixlen; host bits significant
    std::optional<ip::Address> peer;  // IFA_ADDRESS when it differs from IFA_LOCAL
    std::uint8_t scope = kScopeUniverse;
    std::uint32_t flags = 0;              // IFA_F_*
    std::uint8_t protocol = 0;            // IFA_PROTO
    friend bool operator==(const Address&, const Address&) = default;
};

// One path of a multipath route (RTA_MULTIPATH).
struct Nexthop {
    std::optional<ip::Address> gateway;
    std::string dev;
    std::uint32_t flags = 0;   // RTNH_F_*
    std::uint32_t weight = 1;  // rtnh_hops + 1
    friend bool operator==(const Nexthop&, const Nexthop&) = default;
};

struct Route {
    std::string netns;
    std::uint32_t table = kMainTable;
    ip::Prefix dst;  // 0.0.0.0/0 is the default route
    std::optional<ip::Address> gateway;
    std::string dev;  // "" for routes without an output device (blackhole…)
    std::uint8_t scope = kScopeUniverse;  // RT_SCOPE_*
    std::uint8_t protocol = 0;            // RTPROT_*
    std::uint8_t type = kRouteUnicast;    // RTN_*
    std::uint32_t flags = 0;              // RTNH_F_* (kOnlink)
    std::optional<ip::Address> prefsrc;
    std::uint32_t metric = 0;
    // A multipath route: its paths (gateway and dev above are then unset); else empty.
    std::vector<Nexthop> nexthops;

    bool onlink() const { return (flags & kOnlink) != 0; }
    friend bool operator==(const Route&, const Route&) = default;
};

// A neighbour entry (ARP for IPv4); podnetc reads and writes permanent ones only.
struct Neighbor {
    std::string netns;
    std::string dev;
    ip::Address dst;
    std::optional<Mac> lladdr;
    std::uint16_t state = kNudPermanent;  // NUD_*
    std::uint8_t flags = 0;               // NTF_*
    std::uint8_t protocol = 0;            // NDA_PROTOCOL
    friend bool operator==(const Neighbor&, const Neighbor&) = default;
};

// Route scopes as people read them ("link", "host", "global", or the number).
std::string_view route_scope_name(std::uint8_t scope);

}  // namespace podnetc::kernel
