// The IR: the desired state of one node, checked and fully expanded. Two views of
// the same thing:
//  - the model (networks, pods and their attachments), as the file means it;
//  - the kernel objects that realize it (namespaces, links, addresses, routes,
//    neighbours), which the planner diffs against LiveState and the emitters print.
// Every object carries the SourceRange of the declaration that asked for it.
// Vectors are sorted deterministically by lowering (see NodeIr), so that the same
// file always gives byte-identical output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/net/net_types.hpp"
#include "compiler/base/source.hpp"

namespace podnetc::ir {

enum class Mode { bridge, route, mesh };
std::string_view mode_name(Mode mode);

// The name the IR uses for the node's root (host) network namespace.
inline constexpr std::string_view kHostNetns = "";

// ---- the model ------------------------------------------------------------

struct Network {
    std::string name;
    Mode mode = Mode::bridge;
    Ipv4Prefix subnet;
    // bridge: optional address of the bridge, the pods' default gateway;
    // route: the pods' next hop, default 169.254.1.1; mesh: none.
    std::optional<Ipv4> gateway;
    std::string bridge;           // bridge mode: the bridge device (default: network name)
    std::uint32_t mtu = 0;        // 0: kernel default
    std::uint32_t max_pairs = 0;  // mesh: the limit the file allowed
    bool adopt = false;           // bridge mode: take over an existing bridge
    SourceRange range;
};

// One pod's membership in one network.
struct Attachment {
    std::string network;
    Mode mode = Mode::bridge;
    std::string ifname;     // bridge/route: pod-side interface; mesh: "" (one per peer)
    std::vector<Ipv4Prefix> addresses;
    std::string host_veth;  // bridge/route: root-namespace end of the pair
    std::optional<Mac> mac;
    std::optional<Mac> host_mac;
    std::uint32_t mtu = 0;
    bool default_route = false;
    SourceRange range;
};

struct Pod {
    std::string name;  // also the name of its network namespace
    bool adopt = false;
    std::vector<Attachment> attachments;
    SourceRange range;
};

// ---- kernel objects -------------------------------------------------------
// `pod` names the pod an object exists for ("" for node-level objects such as a
// bridge); plans group their output by it. `adopt` means: if a matching object
// exists that podnetc does not own, take it over instead of reporting a conflict.

struct Namespace {
    std::string name;
    bool adopt = false;
    SourceRange range;
};

enum class LinkKind { bridge, veth };
std::string_view link_kind_name(LinkKind kind);

struct Link {
    std::string netns;  // kHostNetns or a pod's namespace
    std::string name;
    LinkKind kind = LinkKind::veth;
    // veth: the other end. `primary` marks the end whose create message makes the
    // pair (the host end; in a mesh, the end in the pod that comes first).
    std::string peer_netns;
    std::string peer_name;
    bool primary = false;
    std::string master;  // bridge port of this bridge (same namespace), or ""
    std::optional<Mac> mac;
    std::uint32_t mtu = 0;  // 0: kernel default
    bool up = true;
    // Per-interface IPv4 settings; nullopt: podnetc does not care.
    std::optional<bool> proxy_arp;
    std::optional<bool> forwarding;
    std::optional<std::uint32_t> proxy_delay_ms;  // ARP neighbour-table proxy_delay of the device
    std::string pod;
    std::string network;
    bool adopt = false;
    SourceRange range;
};

struct Address {
    std::string netns;
    std::string dev;
    Ipv4Prefix local;  // host bits significant: 10.10.1.10/24
    std::string pod;
    bool adopt = false;
    SourceRange range;
};

enum class RouteScope : std::uint8_t { universe = 0, link = 253, host = 254 };
std::string_view route_scope_name(RouteScope scope);

struct Route {
    std::string netns;
    Ipv4Prefix dst;  // 0.0.0.0/0 is the default route
    std::optional<Ipv4> gateway;
    std::string dev;
    RouteScope scope = RouteScope::universe;
    bool onlink = false;
    std::optional<Ipv4> prefsrc;
    std::string pod;
    bool adopt = false;
    SourceRange range;
};

// A permanent ARP entry.
struct Neighbor {
    std::string netns;
    std::string dev;
    Ipv4 dst;
    Mac lladdr;
    std::string pod;
    bool adopt = false;
    SourceRange range;
};

// Order (lowering sorts; emitters and the planner may rely on it):
//  - networks, pods: file order after loop expansion;
//  - namespaces: by name;
//  - links: by (netns, name), so the host namespace "" comes first;
//  - addresses: by (netns, dev, address, prefix length);
//  - routes: by (netns, destination address, destination length, dev);
//  - neighbors: by (netns, dev, destination).
// Strings compare bytewise: "pod-10" sorts before "pod-2".
struct NodeIr {
    std::string node;  // the selected node; "" for a file without node blocks
    std::vector<Network> networks;
    std::vector<Pod> pods;
    std::vector<Namespace> namespaces;
    std::vector<Link> links;
    std::vector<Address> addresses;
    std::vector<Route> routes;
    std::vector<Neighbor> neighbors;
};

// Where podnetc's defaults live, so that lowering, docs and tests agree.
inline constexpr std::string_view kRouteGatewayDefault = "169.254.1.1";
// Calico's convention: every host-side veth of a routed pod has this MAC, so the
// pod can hold a permanent ARP entry for its gateway (see README, route mode).
inline constexpr std::string_view kRouteHostMacDefault = "ee:ee:ee:ee:ee:ee";
inline constexpr std::uint32_t kMeshMaxPairsDefault = 1024;

}  // namespace podnetc::ir
