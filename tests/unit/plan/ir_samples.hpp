// Hand-built IRs of the article's examples (examples/bridge.pnet, route.pnet,
// bridge-gateway.pnet, mesh.pnet), exactly as docs/LANGUAGE.md "What each mode
// builds" describes them. They let the emitters be tested without the parser and
// lowering; once those exist, tests can compare these with the real thing.
#pragma once

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace podnetc::samples {

inline ip::Address ipv4(const char* text) { return ip::Address::parse_v4(text).value(); }
inline ip::Prefix prefix(const std::string& text) { return ip::Prefix::parse(text).value(); }
inline Mac mac(const char* text) { return Mac::parse(text).value(); }

// Sorts the kernel objects the way lowering promises to: host namespace first, then
// by namespace name, then by the object's own key.
inline void sort_like_lowering(ir::NodeIr& node) {
    const auto ns_key = [](const std::string& netns) { return std::tuple{!netns.empty(), netns}; };
    std::sort(node.namespaces.begin(), node.namespaces.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    std::sort(node.links.begin(), node.links.end(), [&](const auto& a, const auto& b) {
        return std::tuple{ns_key(a.netns), a.name} < std::tuple{ns_key(b.netns), b.name};
    });
    std::sort(node.addresses.begin(), node.addresses.end(), [&](const auto& a, const auto& b) {
        return std::tuple{ns_key(a.netns), a.dev, a.local} < std::tuple{ns_key(b.netns), b.dev, b.local};
    });
    std::sort(node.routes.begin(), node.routes.end(), [&](const auto& a, const auto& b) {
        return std::tuple{ns_key(a.netns), a.dst, a.dev} < std::tuple{ns_key(b.netns), b.dst, b.dev};
    });
    std::sort(node.neighbors.begin(), node.neighbors.end(), [&](const auto& a, const auto& b) {
        return std::tuple{ns_key(a.netns), a.dev, a.dst} < std::tuple{ns_key(b.netns), b.dev, b.dst};
    });
}

inline ir::Link veth(std::string netns, std::string name, std::string peer_netns, std::string peer_name,
                     bool primary, std::string pod, std::string network) {
    ir::Link link;
    link.netns = std::move(netns);
    link.name = std::move(name);
    link.kind = kernel::kVeth;
    link.peer_netns = std::move(peer_netns);
    link.peer_name = std::move(peer_name);
    link.primary = primary;
    link.pod = std::move(pod);
    link.network = std::move(network);
    return link;
}

inline ir::Route route(std::string netns, const std::string& dst, std::string dev, std::uint8_t scope,
                       std::string pod) {
    ir::Route r;
    r.netns = std::move(netns);
    r.dst = prefix(dst);
    r.dev = std::move(dev);
    r.scope = scope;
    r.pod = std::move(pod);
    return r;
}

struct PodSpec {
    std::string name;
    std::string address;  // with /len
    std::string host_veth;
};

// A bridge network `cbr0` with the given pods; with a gateway the bridge holds it.
inline ir::NodeIr bridge_node(const std::vector<PodSpec>& pods, const char* gateway_with_len) {
    ir::NodeIr node;
    ir::Network net;
    net.name = "cbr0";
    net.mode = ir::Mode::bridge;
    net.subnet = prefix("10.10.1.0/24");
    net.bridge = "cbr0";
    if (gateway_with_len != nullptr) net.gateway = prefix(gateway_with_len).addr;
    node.networks.push_back(net);

    ir::Link bridge;
    bridge.netns = "";
    bridge.name = "cbr0";
    bridge.kind = kernel::kBridge;
    bridge.network = "cbr0";
    node.links.push_back(bridge);
    if (gateway_with_len != nullptr) {
        node.addresses.push_back(ir::owned_address("", "cbr0", prefix(gateway_with_len), "", false, {}));
    }

    for (const PodSpec& spec : pods) {
        ir::Pod pod;
        pod.name = spec.name;
        ir::Attachment at;
        at.network = "cbr0";
        at.mode = ir::Mode::bridge;
        at.ifname = "eth0";
        at.addresses = {prefix(spec.address)};
        at.host_veth = spec.host_veth;
        at.default_route = true;
        pod.attachments.push_back(at);
        node.pods.push_back(pod);
        node.namespaces.push_back(ir::declared_netns(spec.name, false, {}));

        ir::Link host = veth("", spec.host_veth, spec.name, "eth0", true, spec.name, "cbr0");
        host.master = "cbr0";
        node.links.push_back(host);
        node.links.push_back(veth(spec.name, "eth0", "", spec.host_veth, false, spec.name, "cbr0"));
        node.addresses.push_back(ir::owned_address(spec.name, "eth0", prefix(spec.address), spec.name, false, {}));
        if (gateway_with_len != nullptr) {
            ir::Route def = route(spec.name, "0.0.0.0/0", "eth0", kernel::kScopeUniverse, spec.name);
            def.gateway = prefix(gateway_with_len).addr;
            node.routes.push_back(def);
        } else {
            node.routes.push_back(route(spec.name, "0.0.0.0/0", "eth0", kernel::kScopeLink, spec.name));
        }
    }
    sort_like_lowering(node);
    return node;
}

// examples/bridge.pnet: the article's bridge experiment, /32 addresses, no gateway.
inline ir::NodeIr bridge() {
    return bridge_node({{"pod-1", "10.10.1.10/32", "veth1"}, {"pod-2", "10.10.1.11/32", "veth2"}}, nullptr);
}

// examples/bridge-gateway.pnet: the bridge holds 10.10.1.1/24, the pods' default gateway.
inline ir::NodeIr bridge_gateway() {
    return bridge_node({{"pod-1", "10.10.1.10/24", "veth1"},
                        {"pod-2", "10.10.1.11/24", "veth2"},
                        {"pod-3", "10.10.1.12/24", "veth3"}},
                       "10.10.1.1/24");
}

// A route network `pods` (gateway 169.254.1.1) with the given pods.
inline ir::NodeIr route_node(const std::vector<PodSpec>& pods) {
    ir::NodeIr node;
    ir::Network net;
    net.name = "pods";
    net.mode = ir::Mode::route;
    net.subnet = prefix("10.10.1.0/24");
    net.gateway = ipv4("169.254.1.1");
    node.networks.push_back(net);

    const Mac host_mac = mac("ee:ee:ee:ee:ee:ee");
    for (const PodSpec& spec : pods) {
        ir::Pod pod;
        pod.name = spec.name;
        ir::Attachment at;
        at.network = "pods";
        at.mode = ir::Mode::route;
        at.ifname = "eth0";
        at.addresses = {prefix(spec.address)};
        at.host_veth = spec.host_veth;
        at.host_mac = host_mac;
        at.default_route = true;
        pod.attachments.push_back(at);
        node.pods.push_back(pod);
        node.namespaces.push_back(ir::declared_netns(spec.name, false, {}));

        ir::Link host = veth("", spec.host_veth, spec.name, "eth0", true, spec.name, "pods");
        host.mac = host_mac;
        host.proxy_arp = true;
        host.forwarding = true;
        host.proxy_delay_ms = 0;
        node.links.push_back(host);
        node.links.push_back(veth(spec.name, "eth0", "", spec.host_veth, false, spec.name, "pods"));
        node.routes.push_back(route("", spec.address, spec.host_veth, kernel::kScopeLink, spec.name));

        node.addresses.push_back(ir::owned_address(spec.name, "eth0", prefix(spec.address), spec.name, false, {}));
        node.neighbors.push_back(ir::owned_neighbor(spec.name, "eth0", ipv4("169.254.1.1"), host_mac, spec.name, false, {}));
        node.routes.push_back(route(spec.name, "169.254.1.1/32", "eth0", kernel::kScopeLink, spec.name));
        ir::Route def = route(spec.name, "0.0.0.0/0", "eth0", kernel::kScopeUniverse, spec.name);
        def.gateway = ipv4("169.254.1.1");
        node.routes.push_back(def);
    }
    sort_like_lowering(node);
    return node;
}

// examples/route.pnet: the article's routed experiment (calico style).
inline ir::NodeIr route() {
    return route_node({{"pod-1", "10.10.1.10/32", "veth1"}, {"pod-2", "10.10.1.11/32", "veth2"}});
}

// A node like examples/node-110.pnet: `count` routed pods pod-1… in 10.244.0.0/16.
inline ir::NodeIr routed_pods(int count) {
    std::vector<PodSpec> pods;
    for (int i = 1; i <= count; ++i) {
        pods.push_back({"pod-" + std::to_string(i),
                        "10.244." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 2) + "/32",
                        "veth" + std::to_string(i)});
    }
    return route_node(pods);
}

// examples/mesh.pnet: four pods, a veth pair between every two (6 pairs).
inline ir::NodeIr mesh() {
    ir::NodeIr node;
    ir::Network net;
    net.name = "mesh";
    net.mode = ir::Mode::mesh;
    net.subnet = prefix("10.10.1.0/24");
    net.max_pairs = ir::kMeshMaxPairsDefault;
    node.networks.push_back(net);

    const std::vector<std::pair<std::string, const char*>> pods = {
        {"pod-1", "10.10.1.10/32"}, {"pod-2", "10.10.1.11/32"}, {"pod-3", "10.10.1.12/32"}, {"pod-4", "10.10.1.13/32"}};
    for (const auto& [name, address] : pods) {
        ir::Pod pod;
        pod.name = name;
        ir::Attachment at;
        at.network = "mesh";
        at.mode = ir::Mode::mesh;
        at.addresses = {prefix(address)};
        pod.attachments.push_back(at);
        node.pods.push_back(pod);
        node.namespaces.push_back(ir::declared_netns(name, false, {}));
    }
    for (std::size_t p = 0; p < pods.size(); ++p) {
        for (std::size_t q = 0; q < pods.size(); ++q) {
            if (p == q) continue;
            const std::string& self = pods[p].first;
            const std::string& peer = pods[q].first;
            node.links.push_back(veth(self, peer, peer, self, p < q, self, "mesh"));
            node.addresses.push_back(ir::owned_address(self, peer, prefix(pods[p].second), self, false, {}));
            node.routes.push_back(route(self, pods[q].second, peer, kernel::kScopeLink, self));
        }
    }
    sort_like_lowering(node);
    return node;
}

}  // namespace podnetc::samples
