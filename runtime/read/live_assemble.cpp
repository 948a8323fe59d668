#include "runtime/read/live_assemble.hpp"

#include "compiler/live/live_state_sort.hpp"

#include <algorithm>
#include <map>

#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

namespace podnetc::rt {
namespace {

using IfindexNames = std::map<std::int32_t, std::string>;

std::string name_of(const IfindexNames& names, std::int32_t ifindex) {
    if (ifindex == 0) return {};
    const auto it = names.find(ifindex);
    return it == names.end() ? std::string(kUnnamedNetns) : it->second;
}

bool keep_route(const live::Route& route) {
    return !(route.table == RT_TABLE_LOCAL && route.protocol == RTPROT_KERNEL);
}

bool keep_neighbor(const live::Neighbor& neighbor) { return (neighbor.state & NUD_PERMANENT) != 0; }

}  // namespace

live::State assemble_live_state(AssembleInput input) {
    live::State state;
    state.ip_forward = input.ip_forward;
    auto selected = [&](const std::string& netns) { return !input.only_netns || *input.only_netns == netns; };

    // ifindex -> name, per namespace, for every dump (peers may live in any of them).
    std::map<std::string, IfindexNames> names;
    for (const NetnsDump& dump : input.dumps) {
        IfindexNames& in_netns = names[dump.netns];
        for (const RawLink& raw : dump.links) in_netns[raw.link.ifindex] = raw.link.name;
    }
    const IfindexNames none;
    auto names_in = [&](const std::string& netns) -> const IfindexNames& {
        const auto it = names.find(netns);
        return it == names.end() ? none : it->second;
    };

    for (live::Netns& netns : input.namespaces) {
        if (selected(netns.name)) state.namespaces.push_back(std::move(netns));
    }

    for (NetnsDump& dump : input.dumps) {
        if (!selected(dump.netns)) continue;
        const IfindexNames& local_names = names_in(dump.netns);
        std::map<std::int32_t, std::uint32_t> proxy_delays;
        for (const RawNeighParms& parms : dump.neigh_parms) {
            if (parms.proxy_delay_ms) proxy_delays[parms.ifindex] = *parms.proxy_delay_ms;
        }
        for (RawLink& raw : dump.links) {
            live::Link link = std::move(raw.link);
            link.netns = dump.netns;
            link.master = name_of(local_names, raw.master_ifindex);
            if (raw.peer_ifindex != 0) {
                if (!raw.peer_nsid) {
                    link.peer_netns = dump.netns;
                } else if (const auto it = dump.nsid_names.find(*raw.peer_nsid); it != dump.nsid_names.end()) {
                    link.peer_netns = it->second;
                } else {
                    link.peer_netns = std::string(kUnnamedNetns);
                }
                if (link.peer_netns != kUnnamedNetns) {
                    const IfindexNames& peer_names = names_in(link.peer_netns);
                    const auto it = peer_names.find(raw.peer_ifindex);
                    if (it != peer_names.end()) link.peer_name = it->second;
                }
            }
            if (const auto it = proxy_delays.find(link.ifindex); it != proxy_delays.end()) {
                link.proxy_delay_ms = it->second;
            }
            state.links.push_back(std::move(link));
        }
        for (RawAddress& raw : dump.addresses) {
            live::Address address = std::move(raw.address);
            address.netns = dump.netns;
            address.dev = name_of(local_names, address.ifindex);
            state.addresses.push_back(std::move(address));
        }
        for (RawRoute& raw : dump.routes) {
            live::Route route = std::move(raw.route);
            if (!keep_route(route)) continue;
            route.netns = dump.netns;
            route.dev = name_of(local_names, raw.oif);
            for (std::size_t i = 0; i < route.nexthops.size() && i < raw.nexthop_oifs.size(); ++i) {
                route.nexthops[i].dev = name_of(local_names, raw.nexthop_oifs[i]);
            }
            state.routes.push_back(std::move(route));
        }
        for (RawNeighbor& raw : dump.neighbors) {
            live::Neighbor neighbor = std::move(raw.neighbor);
            if (!keep_neighbor(neighbor)) continue;
            neighbor.netns = dump.netns;
            neighbor.dev = name_of(local_names, raw.ifindex);
            state.neighbors.push_back(std::move(neighbor));
        }
    }
    live::sort_state(state);
    return state;
}

}  // namespace podnetc::rt
