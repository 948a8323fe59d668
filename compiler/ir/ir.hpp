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

#include "compiler/net/ip.hpp"
#include "compiler/net/net_types.hpp"
#include "compiler/objects/objects.hpp"
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
    ip::Prefix subnet;
    // bridge: optional address of the bridge, the pods' default gateway;
    // route: the pods' next hop, default 169.254.1.1; mesh: none.
    std::optional<ip::Address> gateway;
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
    std::vector<ip::Prefix> addresses;
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
// The kernel's own object types (compiler/objects/objects.hpp), each wrapped with
// what only the desired side knows: `pod` names the pod an object exists for (""
// for node-level objects such as a bridge; plans group their output by it), `adopt`
// means: if a matching object exists that podnetc does not own, take it over instead
// of reporting a conflict, and `range` is the declaration that asked for it.
// Lowering fills every field as podnetc creates the object (owned markers, main
// table, IFF_UP…), so that the object itself is what a plan step sends.

template <class Object>
struct Desired : Object {
    std::string pod;
    bool adopt = false;
    SourceRange range;

    const Object& object() const { return *this; }
};

using Namespace = Desired<kernel::Netns>;
using Address = Desired<kernel::Address>;   // local: host bits significant (10.10.1.10/24)
using Neighbor = Desired<kernel::Neighbor>; // a permanent ARP entry

struct Link : Desired<kernel::Link> {
    Link() {
        kind = kernel::kVeth;
        flags = kernel::kIffUp;
    }
    // veth: `primary` marks the end whose create message makes the pair (the host
    // end; in a mesh, the end in the pod that comes first).
    bool primary = false;
    std::string network;
};

// dst 0.0.0.0/0 is the default route.
struct Route : Desired<kernel::Route> {
    // A route of the cluster backend to another node's pods: that node's name
    // (plans say "pods of worker-2"); "" for every other route.
    std::string remote_node;
};

// The node's underlay when a cluster backend routes over it (`node NAME underlay
// ADDR dev IFNAME`): the planner checks the device, on-link next hops, forwarding.
struct Underlay {
    ip::Address address;
    std::string dev;
    SourceRange range;  // the `dev` value on the node's line
};

// The objects as podnetc creates them: its ownership marker, the main table, a
// unicast route of metric 0, a permanent neighbour (ir_objects.cpp). The arguments
// are the declared attributes, then the desired-side wrapping.
Namespace declared_netns(std::string name, bool adopt, SourceRange range);
Address owned_address(std::string netns, std::string dev, ip::Prefix local, std::string pod, bool adopt,
                      SourceRange range);
Route owned_route(std::string netns, ip::Prefix dst, std::optional<ip::Address> gateway, std::string dev,
                  std::uint8_t scope, bool onlink, std::optional<ip::Address> prefsrc, std::string pod, bool adopt,
                  SourceRange range);
Neighbor owned_neighbor(std::string netns, std::string dev, ip::Address dst, Mac lladdr, std::string pod,
                        bool adopt, SourceRange range);

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
    std::optional<Underlay> underlay;  // set when a cluster backend uses it
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
