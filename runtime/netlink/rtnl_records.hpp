// What one namespace's dumps hold before names are resolved: objects refer to
// devices by ifindex and to other namespaces by nsid, as the kernel reports them.
// live_assemble.hpp turns a set of these into the name-based live::State.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/live/live_state.hpp"

namespace podnetc::rt {

struct RawLink {
    live::Link link;  // netns, master and peer_* are filled by assembly
    std::int32_t master_ifindex = 0;
    std::int32_t peer_ifindex = 0;          // IFLA_LINK of a veth; 0: none
    std::optional<std::int32_t> peer_nsid;  // IFLA_LINK_NETNSID: the peer is in another namespace
};

struct RawAddress {
    live::Address address;  // ifindex set; netns and dev filled by assembly
};

struct RawRoute {
    live::Route route;  // dev and nexthop devs filled by assembly
    std::int32_t oif = 0;
    std::vector<std::int32_t> nexthop_oifs;  // parallel to route.nexthops
};

struct RawNeighbor {
    live::Neighbor neighbor;
    std::int32_t ifindex = 0;
};

// The ARP table's per-device parameters (RTM_GETNEIGHTBL, NDTA_PARMS with an ifindex).
struct RawNeighParms {
    std::int32_t ifindex = 0;
    std::optional<std::uint32_t> proxy_delay_ms;
};

struct NetnsDump {
    std::string netns;
    std::vector<RawLink> links;
    std::vector<RawAddress> addresses;
    std::vector<RawRoute> routes;
    std::vector<RawNeighbor> neighbors;
    std::vector<RawNeighParms> neigh_parms;
    // nsid (as this namespace numbers the others) -> namespace name ("" = host).
    std::map<std::int32_t, std::string> nsid_names;
};

}  // namespace podnetc::rt
