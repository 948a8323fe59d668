#include "runtime/probe/connectivity_check.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace podnetc::rt {
namespace {

struct Member {
    const ir::Pod* pod;
    ip::Address address;
};

bool host_holds(const live::State& state, ip::Address address) {
    return std::any_of(state.addresses.begin(), state.addresses.end(),
                       [&](const live::Address& a) { return a.netns.empty() && a.local.addr == address; });
}

}  // namespace

std::vector<Probe> connectivity_probes(const ir::NodeIr& ir, const live::State& after) {
    std::vector<Probe> probes;
    for (const ir::Network& network : ir.networks) {
        std::vector<Member> members;
        for (const ir::Pod& pod : ir.pods) {
            for (const ir::Attachment& a : pod.attachments) {
                if (a.network == network.name && !a.addresses.empty()) members.push_back({&pod, a.addresses.front().addr});
            }
        }
        std::optional<ip::Address> gateway;
        if (network.mode == ir::Mode::bridge && network.gateway) gateway = network.gateway;
        if (network.mode == ir::Mode::route && network.gateway && host_holds(after, *network.gateway)) {
            gateway = network.gateway;
        }
        const std::size_t others = members.empty() ? 0 : members.size() - 1;
        const std::size_t peers = members.size() <= kAllPairsUpTo ? others : std::min(kRingPeers, others);
        for (std::size_t i = 0; i < members.size(); ++i) {
            const Member& from = members[i];
            if (gateway) {
                probes.push_back(Probe{from.pod->name, from.address, *gateway,
                                       fmt::format("{} -> gateway {}", from.pod->name, gateway->str())});
            }
            for (std::size_t step = 1; step <= peers; ++step) {
                const Member& to = members[(i + step) % members.size()];
                probes.push_back(Probe{from.pod->name, from.address, to.address,
                                       fmt::format("{} -> {} {}", from.pod->name, to.pod->name, to.address.str())});
            }
        }
    }
    return probes;
}

Result<std::vector<std::string>> check_connectivity(const ir::NodeIr& ir, const live::State& after,
                                                   const ProbeOptions& options) {
    const std::vector<Probe> probes = connectivity_probes(ir, after);
    auto results = run_probes(probes, options);
    if (!results) return fail(std::move(results).error());
    std::vector<std::string> problems;
    for (std::size_t i = 0; i < probes.size(); ++i) {
        if (!(*results)[i].ok) problems.push_back(fmt::format("{}: {}", probes[i].why, (*results)[i].error));
    }
    return problems;
}

}  // namespace podnetc::rt
