// Checks across objects of the model: names in the host namespace, addresses and
// gateways, overlapping subnets, meshes, unused networks. Each is linear (hash
// maps) or n·log n in the number of pods, except the mesh checks, which are
// bounded by max-pairs.
#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "compiler/lower/lower_model.hpp"
#include "compiler/lower/naming.hpp"

namespace podnetc::lowering {
namespace {

class ModelChecker {
public:
    ModelChecker(Model& model, Reporter& reporter, const Contexts& contexts)
        : model_(model), reporter_(reporter), contexts_(contexts) {}

    void host_namespace_names();
    void addresses();
    void overlapping_subnets();
    void mesh_sizes();
    void mesh_shared_peers();
    void mesh_interface_names();
    void unused_networks(bool warn_shared);

private:
    std::string first_here(ContextId context) const { return "first declared here" + contexts_.suffix(context); }

    Model& model_;
    Reporter& reporter_;
    const Contexts& contexts_;
};

void ModelChecker::host_namespace_names() {
    struct Owner {
        std::uint32_t network = kNone;  // a bridge
        std::uint32_t pod = kNone;      // else a host veth
        std::uint32_t attachment = 0;
    };
    std::unordered_map<std::string_view, Owner> names;
    names.reserve(model_.pods.size() + model_.networks.size());
    for (std::uint32_t n = 0; n < model_.networks.size(); ++n) {
        const NetworkInfo& network = model_.networks[n];
        if (network.duplicate || !network.bridge_ok) continue;
        const auto [it, inserted] = names.try_emplace(network.net.bridge, Owner{n});
        if (inserted) continue;
        const NetworkInfo& first = model_.networks[it->second.network];
        if (Diagnostic* d = reporter_.error(
                network.bridge_range, "bridge-duplicate", network.context,
                fmt::format("bridge '{}' of network '{}' is also the bridge of network '{}'", network.net.bridge,
                            network.net.name, first.net.name))) {
            d->notes.push_back({first.bridge_range, first_here(first.context)});
        }
    }
    for (std::uint32_t p = 0; p < model_.pods.size(); ++p) {
        const PodInfo& pod = model_.pods[p];
        if (pod.duplicate) continue;
        for (std::uint32_t a = 0; a < pod.attachments.size(); ++a) {
            const ir::Attachment& attachment = pod.pod.attachments[a];
            const AttachmentInfo& extra = pod.attachments[a];
            if (attachment.host_veth.empty()) continue;
            const auto [it, inserted] = names.try_emplace(attachment.host_veth, Owner{kNone, p, a});
            if (inserted) continue;
            const Owner& owner = it->second;
            if (owner.network != kNone) {
                const NetworkInfo& network = model_.networks[owner.network];
                if (Diagnostic* d = reporter_.error(
                        extra.host_veth_range, "host-veth-is-bridge", pod.context,
                        fmt::format("host-veth '{}' has the name of the bridge of network '{}'",
                                    attachment.host_veth, network.net.name))) {
                    d->notes.push_back({network.bridge_range, "the bridge is declared here"});
                }
                continue;
            }
            const PodInfo& first_pod = model_.pods[owner.pod];
            const AttachmentInfo& first = first_pod.attachments[owner.attachment];
            // Two derived names from one interface name of one pod: reported as a duplicate interface.
            if (owner.pod == p && !extra.host_veth_given && !first.host_veth_given) continue;
            const std::string derived =
                extra.host_veth_given ? std::string{}
                                      : fmt::format(" (derived from '{}/{}')", pod.pod.name, attachment.ifname);
            Diagnostic* d = reporter_.error(extra.host_veth_range, "host-veth-duplicate", pod.context,
                                            fmt::format("duplicate host-veth '{}'{}", attachment.host_veth, derived));
            if (d == nullptr) continue;
            d->notes.push_back({first.host_veth_range, fmt::format("first used here by pod '{}'{}", first_pod.pod.name,
                                                                   contexts_.suffix(first_pod.context))});
            if (!extra.host_veth_given || !first.host_veth_given) {
                d->notes.push_back({SourceRange{}, "derived names are hashes and can collide, however rarely: "
                                                   "set `host-veth` on one of these interfaces"});
            }
        }
    }
}

void ModelChecker::addresses() {
    struct Owner {
        std::uint32_t pod;
        std::uint32_t attachment;
        std::uint32_t address;
    };
    std::unordered_map<ip::Address, std::uint32_t> gateways;  // address -> network
    for (std::uint32_t n = 0; n < model_.networks.size(); ++n) {
        const NetworkInfo& network = model_.networks[n];
        if (!network.duplicate && network.net.gateway) gateways.try_emplace(*network.net.gateway, n);
    }
    std::size_t count = 0;
    for (const PodInfo& pod : model_.pods) {
        for (const ir::Attachment& attachment : pod.pod.attachments) count += attachment.addresses.size();
    }
    std::unordered_map<ip::Address, Owner> owners;
    owners.reserve(count);
    for (std::uint32_t p = 0; p < model_.pods.size(); ++p) {
        const PodInfo& pod = model_.pods[p];
        if (pod.duplicate) continue;
        for (std::uint32_t a = 0; a < pod.attachments.size(); ++a) {
            const ir::Attachment& attachment = pod.pod.attachments[a];
            for (std::uint32_t i = 0; i < attachment.addresses.size(); ++i) {
                const ip::Address address = attachment.addresses[i].addr;
                const SourceRange range = pod.attachments[a].address_ranges[i];
                if (const auto gw = gateways.find(address); gw != gateways.end()) {
                    const NetworkInfo& network = model_.networks[gw->second];
                    Diagnostic* d = reporter_.error(range, "address-is-gateway", pod.context,
                                                    fmt::format("address {} is the gateway of network '{}'",
                                                                address.str(), network.net.name));
                    if (d != nullptr && network.gateway_range.known()) {
                        d->notes.push_back({network.gateway_range, "gateway declared here"});
                    } else if (d != nullptr) {
                        d->notes.push_back({network.name_range, fmt::format("{} is the default gateway of a route "
                                                                            "network; this one is declared here",
                                                                            address.str())});
                    }
                    continue;
                }
                const auto [it, inserted] = owners.try_emplace(address, Owner{p, a, i});
                if (inserted) continue;
                const PodInfo& first = model_.pods[it->second.pod];
                const SourceRange first_range = first.attachments[it->second.attachment].address_ranges[it->second.address];
                Diagnostic* d =
                    it->second.pod == p
                        ? reporter_.error(range, "address-twice-in-pod", pod.context,
                                          fmt::format("address {} is given twice in pod '{}'", address.str(),
                                                      pod.pod.name))
                        : reporter_.error(range, "address-duplicate", pod.context,
                                          fmt::format("address {} is also assigned to pod '{}'", address.str(),
                                                      first.pod.name));
                if (d != nullptr) {
                    d->notes.push_back({first_range, "first assigned here" + contexts_.suffix(first.context)});
                }
            }
        }
    }
}

void ModelChecker::overlapping_subnets() {
    std::vector<std::uint32_t> order;
    for (std::uint32_t n = 0; n < model_.networks.size(); ++n) {
        if (!model_.networks[n].duplicate && model_.networks[n].subnet_ok) order.push_back(n);
    }
    const auto subnet = [&](std::uint32_t n) -> const ip::Prefix& { return model_.networks[n].net.subnet; };
    std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
        if (subnet(x).addr != subnet(y).addr) return subnet(x).addr < subnet(y).addr;
        if (subnet(x).len != subnet(y).len) return subnet(x).len < subnet(y).len;
        return x < y;
    });
    // Prefixes nest or are disjoint: in address order, one that overlaps any
    // earlier one overlaps the earlier one reaching furthest.
    std::uint32_t widest = kNone;
    for (const std::uint32_t n : order) {
        if (widest != kNone && subnet(n).addr <= subnet(widest).last()) {
            const NetworkInfo& later = model_.networks[std::max(n, widest)];
            const NetworkInfo& earlier = model_.networks[std::min(n, widest)];
            if (Diagnostic* d = reporter_.error(
                    later.subnet_range, "subnet-overlap", later.context,
                    fmt::format("subnet {} of network '{}' overlaps subnet {} of network '{}'", later.net.subnet.str(),
                                later.net.name, earlier.net.subnet.str(), earlier.net.name))) {
                d->notes.push_back({earlier.subnet_range, fmt::format("network '{}' declares its subnet here{}",
                                                                      earlier.net.name,
                                                                      contexts_.suffix(earlier.context))});
            }
        }
        if (widest == kNone || subnet(n).last() > subnet(widest).last()) widest = n;
    }
}

void ModelChecker::mesh_sizes() {
    for (NetworkInfo& network : model_.networks) {
        if (network.duplicate || !network.has_mode || network.net.mode != ir::Mode::mesh) continue;
        const std::uint64_t pods = network.members.size();
        const std::uint64_t pairs = pods < 2 ? 0 : pods * (pods - 1) / 2;
        if (pairs <= network.net.max_pairs) continue;
        network.mesh_too_big = true;
        if (Diagnostic* d = reporter_.error(
                network.name_range, "mesh-too-big", network.context,
                fmt::format("mesh '{}' needs {} veth pairs for {} pods; max-pairs is {}", network.net.name,
                            group_thousands(pairs), group_thousands(pods),
                            group_thousands(network.net.max_pairs)))) {
            d->notes.push_back({SourceRange{}, "raise `max-pairs` if you mean it, or connect the pods with a "
                                               "bridge or route network"});
        }
    }
}

// Two meshes linking the same two pods would give each pod two interfaces named
// after the other.
void ModelChecker::mesh_shared_peers() {
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<std::uint32_t>> shared;  // (mesh, mesh) -> pods
    for (std::uint32_t p = 0; p < model_.pods.size(); ++p) {
        const PodInfo& pod = model_.pods[p];
        if (pod.duplicate) continue;
        std::vector<std::uint32_t> meshes;
        for (const AttachmentInfo& extra : pod.attachments) {
            const NetworkInfo& network = model_.networks[extra.network];
            if (network.net.mode == ir::Mode::mesh && !network.mesh_too_big) meshes.push_back(extra.network);
        }
        for (std::size_t i = 0; i < meshes.size(); ++i) {
            for (std::size_t j = i + 1; j < meshes.size(); ++j) {
                if (meshes[i] != meshes[j]) shared[{meshes[i], meshes[j]}].push_back(p);
            }
        }
    }
    for (const auto& [meshes, pods] : shared) {
        if (pods.size() < 2) continue;
        const PodInfo& first = model_.pods[pods[0]];
        const PodInfo& second = model_.pods[pods[1]];
        const auto attachment_in = [&](const PodInfo& pod, std::uint32_t network) {
            for (std::size_t a = 0; a < pod.attachments.size(); ++a) {
                if (pod.attachments[a].network == network) return pod.pod.attachments[a].range;
            }
            return SourceRange{};
        };
        const std::string& one = model_.networks[meshes.first].net.name;
        const std::string& two = model_.networks[meshes.second].net.name;
        Diagnostic* d = reporter_.error(
            attachment_in(second, meshes.second), "mesh-same-peers", second.context,
            fmt::format("pods '{}' and '{}' are in both mesh '{}' and mesh '{}'", first.pod.name, second.pod.name,
                        one, two));
        if (d == nullptr) continue;
        d->notes.push_back({attachment_in(first, meshes.second),
                            fmt::format("pod '{}' joins mesh '{}' here{}", first.pod.name, two,
                                        contexts_.suffix(first.context))});
        d->notes.push_back({SourceRange{}, fmt::format("two pods can share one mesh only: each would get two "
                                                       "interfaces named after the other")});
        if (pods.size() > 2) {
            d->notes.push_back({SourceRange{}, fmt::format("{} pods are in both meshes",
                                                           group_thousands(pods.size()))});
        }
    }
}

// A pod's bridge/route interface may not take the name its mesh interface
// towards a peer gets (a peer pod called `eth0`).
void ModelChecker::mesh_interface_names() {
    for (const NetworkInfo& network : model_.networks) {
        if (network.duplicate || network.net.mode != ir::Mode::mesh || network.mesh_too_big) continue;
        bool any_other = false;
        for (const Member& member : network.members) {
            any_other = any_other || model_.pods[member.pod].attachments.size() > 1;
        }
        if (!any_other) continue;
        std::unordered_map<std::string, std::uint32_t> towards;  // mesh ifname -> peer pod
        for (const Member& member : network.members) {
            towards.try_emplace(naming::mesh_ifname(model_.pods[member.pod].pod.name), member.pod);
        }
        for (const Member& member : network.members) {
            const PodInfo& pod = model_.pods[member.pod];
            for (std::size_t a = 0; a < pod.attachments.size(); ++a) {
                const ir::Attachment& attachment = pod.pod.attachments[a];
                if (attachment.mode == ir::Mode::mesh) continue;
                const auto peer = towards.find(attachment.ifname);
                if (peer == towards.end() || peer->second == member.pod) continue;
                const PodInfo& other = model_.pods[peer->second];
                if (Diagnostic* d = reporter_.error(
                        pod.attachments[a].name_range, "mesh-ifname-collision", pod.context,
                        fmt::format("interface '{}' of pod '{}' has the name of its interface towards pod '{}' "
                                    "in mesh '{}'",
                                    attachment.ifname, pod.pod.name, other.pod.name, network.net.name))) {
                    d->notes.push_back({other.name_range, fmt::format("pod '{}' is declared here{}", other.pod.name,
                                                                      contexts_.suffix(other.context))});
                }
            }
        }
    }
}

void ModelChecker::unused_networks(bool warn_shared) {
    if (model_.pods_incomplete) return;
    for (const NetworkInfo& network : model_.networks) {
        if (network.duplicate || network.referenced || (network.shared && !warn_shared)) continue;
        reporter_.warning(network.name_range, "network-unused", network.context,
                          fmt::format("network '{}' is not used by any pod", network.net.name));
    }
}

}  // namespace

void check_model(Model& model, Reporter& reporter, const Contexts& contexts, bool warn_unused_shared) {
    ModelChecker checker(model, reporter, contexts);
    checker.host_namespace_names();
    checker.addresses();
    checker.overlapping_subnets();
    checker.mesh_sizes();
    checker.mesh_shared_peers();
    checker.mesh_interface_names();
    checker.unused_networks(warn_unused_shared);
}

}  // namespace podnetc::lowering
