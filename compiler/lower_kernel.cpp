// The kernel objects of a checked model, per mode (docs/LANGUAGE.md, "What each
// mode builds"), in the deterministic order documented in ir.hpp.
#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "compiler/lower_model.hpp"
#include "compiler/naming.hpp"

namespace podnetc::lowering {
namespace {

const Ipv4Prefix kDefaultDst{Ipv4{0}, 0};

Ipv4Prefix host_prefix(Ipv4 address) { return Ipv4Prefix{address, 32}; }

class KernelBuilder {
public:
    explicit KernelBuilder(ir::NodeIr& node) : node_(node) {}

    void reserve(const Model& model) {
        std::size_t attachments = 0;
        std::size_t addresses = 0;
        for (const PodInfo& pod : model.pods) {
            attachments += pod.pod.attachments.size();
            for (const ir::Attachment& attachment : pod.pod.attachments) addresses += attachment.addresses.size();
        }
        node_.namespaces.reserve(model.pods.size());
        node_.links.reserve(2 * attachments + model.networks.size());
        node_.addresses.reserve(addresses + model.networks.size());
        node_.routes.reserve(addresses + 2 * attachments);
        node_.neighbors.reserve(attachments);
    }

    void bridge(const NetworkInfo& network) {
        ir::Link link;
        link.name = network.net.bridge;
        link.kind = ir::LinkKind::bridge;
        link.mtu = network.net.mtu;
        link.network = network.net.name;
        link.adopt = network.net.adopt;
        link.range = network.net.range;
        node_.links.push_back(std::move(link));
        if (!network.net.gateway) return;
        ir::Address address;
        address.dev = network.net.bridge;
        address.local = Ipv4Prefix{*network.net.gateway, network.net.subnet.len};
        address.adopt = network.net.adopt;
        address.range = network.net.range;
        node_.addresses.push_back(std::move(address));
    }

    void pod(const ir::Pod& pod, const Model& model, const PodInfo& info) {
        node_.namespaces.push_back(ir::Namespace{pod.name, pod.adopt, pod.range});
        for (std::size_t a = 0; a < pod.attachments.size(); ++a) {
            const ir::Attachment& attachment = pod.attachments[a];
            const NetworkInfo& network = model.networks[info.attachments[a].network];
            if (attachment.mode == ir::Mode::bridge) bridge_member(pod, attachment, network);
            if (attachment.mode == ir::Mode::route) route_member(pod, attachment, network);
        }
    }

    void mesh(const NetworkInfo& network, const Model& model) {
        std::vector<std::string> names;  // of the interfaces towards each member
        names.reserve(network.members.size());
        for (const Member& member : network.members) names.push_back(naming::mesh_ifname(pod_of(model, member).name));
        for (std::size_t i = 0; i < network.members.size(); ++i) {
            for (std::size_t j = i + 1; j < network.members.size(); ++j) {
                const ir::Pod& first = pod_of(model, network.members[i]);
                const ir::Pod& second = pod_of(model, network.members[j]);
                const ir::Attachment& one = first.attachments[network.members[i].attachment];
                const ir::Attachment& two = second.attachments[network.members[j].attachment];
                mesh_end(first, one, names[j], second, two, names[i], network, true);
                mesh_end(second, two, names[i], first, one, names[j], network, false);
            }
        }
    }

    void sort() {
        std::sort(node_.namespaces.begin(), node_.namespaces.end(),
                  [](const auto& x, const auto& y) { return x.name < y.name; });
        std::sort(node_.links.begin(), node_.links.end(), [](const auto& x, const auto& y) {
            return std::tie(x.netns, x.name) < std::tie(y.netns, y.name);
        });
        std::sort(node_.addresses.begin(), node_.addresses.end(), [](const auto& x, const auto& y) {
            return std::tie(x.netns, x.dev, x.local) < std::tie(y.netns, y.dev, y.local);
        });
        std::sort(node_.routes.begin(), node_.routes.end(), [](const auto& x, const auto& y) {
            return std::tie(x.netns, x.dst.addr, x.dst.len, x.dev) < std::tie(y.netns, y.dst.addr, y.dst.len, y.dev);
        });
        std::sort(node_.neighbors.begin(), node_.neighbors.end(), [](const auto& x, const auto& y) {
            return std::tie(x.netns, x.dev, x.dst) < std::tie(y.netns, y.dev, y.dst);
        });
    }

private:
    static const ir::Pod& pod_of(const Model& model, const Member& member) { return model.pods[member.pod].pod; }

    // The host end (primary) and the pod end of a bridge/route attachment.
    std::pair<ir::Link&, ir::Link&> veth_pair(const ir::Pod& pod, const ir::Attachment& attachment) {
        ir::Link host;
        host.name = attachment.host_veth;
        host.peer_netns = pod.name;
        host.peer_name = attachment.ifname;
        host.primary = true;
        host.mac = attachment.host_mac;
        host.mtu = attachment.mtu;
        host.pod = pod.name;
        host.network = attachment.network;
        host.adopt = pod.adopt;
        host.range = attachment.range;
        ir::Link inside;
        inside.netns = pod.name;
        inside.name = attachment.ifname;
        inside.peer_name = attachment.host_veth;
        inside.mac = attachment.mac;
        inside.mtu = attachment.mtu;
        inside.pod = pod.name;
        inside.network = attachment.network;
        inside.adopt = pod.adopt;
        inside.range = attachment.range;
        node_.links.push_back(std::move(host));
        const std::size_t host_index = node_.links.size() - 1;
        node_.links.push_back(std::move(inside));
        return {node_.links[host_index], node_.links.back()};
    }

    void add_address(const ir::Pod& pod, std::string netns, const std::string& dev, Ipv4Prefix local,
                     SourceRange range) {
        node_.addresses.push_back(ir::Address{std::move(netns), dev, local, pod.name, pod.adopt, range});
    }

    void add_route(const ir::Pod& pod, std::string netns, Ipv4Prefix dst, std::optional<Ipv4> gateway,
                   const std::string& dev, ir::RouteScope scope, bool onlink, SourceRange range) {
        node_.routes.push_back(
            ir::Route{std::move(netns), dst, gateway, dev, scope, onlink, std::nullopt, pod.name, pod.adopt, range});
    }

    void pod_addresses(const ir::Pod& pod, const ir::Attachment& attachment, const std::string& dev) {
        for (const Ipv4Prefix& address : attachment.addresses) add_address(pod, pod.name, dev, address, attachment.range);
    }

    void bridge_member(const ir::Pod& pod, const ir::Attachment& attachment, const NetworkInfo& network) {
        veth_pair(pod, attachment).first.master = network.net.bridge;
        pod_addresses(pod, attachment, attachment.ifname);
        const auto& gateway = network.net.gateway;
        if (attachment.default_route) {
            if (gateway) {
                const bool reachable = std::any_of(attachment.addresses.begin(), attachment.addresses.end(),
                                                   [&](const Ipv4Prefix& a) { return a.contains(*gateway); });
                add_route(pod, pod.name, kDefaultDst, gateway, attachment.ifname, ir::RouteScope::universe,
                          !reachable, attachment.range);
            } else {
                add_route(pod, pod.name, kDefaultDst, std::nullopt, attachment.ifname, ir::RouteScope::link, false,
                          attachment.range);
            }
            return;
        }
        const Ipv4Prefix& subnet = network.net.subnet;
        const bool covered = std::any_of(attachment.addresses.begin(), attachment.addresses.end(),
                                         [&](const Ipv4Prefix& a) { return a.len <= subnet.len && a.contains(subnet.addr); });
        if (!covered) {
            add_route(pod, pod.name, subnet, std::nullopt, attachment.ifname, ir::RouteScope::link, false,
                      attachment.range);
        }
    }

    void route_member(const ir::Pod& pod, const ir::Attachment& attachment, const NetworkInfo& network) {
        ir::Link& host = veth_pair(pod, attachment).first;
        host.proxy_arp = true;
        host.forwarding = true;
        host.proxy_delay_ms = 0;
        pod_addresses(pod, attachment, attachment.ifname);
        for (const Ipv4Prefix& address : attachment.addresses) {
            add_route(pod, std::string(ir::kHostNetns), host_prefix(address.addr), std::nullopt, attachment.host_veth,
                      ir::RouteScope::link, false, attachment.range);
        }
        const Ipv4 gateway = *network.net.gateway;
        node_.neighbors.push_back(
            ir::Neighbor{pod.name, attachment.ifname, gateway, *attachment.host_mac, pod.name, pod.adopt, attachment.range});
        if (attachment.default_route) {
            add_route(pod, pod.name, host_prefix(gateway), std::nullopt, attachment.ifname, ir::RouteScope::link, false,
                      attachment.range);
            add_route(pod, pod.name, kDefaultDst, gateway, attachment.ifname, ir::RouteScope::universe, false,
                      attachment.range);
        } else {
            add_route(pod, pod.name, network.net.subnet, gateway, attachment.ifname, ir::RouteScope::universe, true,
                      attachment.range);
        }
    }

    // One end of a mesh pair, in `pod`, towards `peer`.
    void mesh_end(const ir::Pod& pod, const ir::Attachment& attachment, const std::string& name, const ir::Pod& peer,
                  const ir::Attachment& peer_attachment, const std::string& peer_end, const NetworkInfo& network,
                  bool primary) {
        ir::Link link;
        link.netns = pod.name;
        link.name = name;
        link.peer_netns = peer.name;
        link.peer_name = peer_end;
        link.primary = primary;
        link.mtu = network.net.mtu;
        link.pod = pod.name;
        link.network = network.net.name;
        link.adopt = pod.adopt;
        link.range = attachment.range;
        node_.links.push_back(std::move(link));
        pod_addresses(pod, attachment, name);
        for (const Ipv4Prefix& address : peer_attachment.addresses) {
            add_route(pod, pod.name, host_prefix(address.addr), std::nullopt, name, ir::RouteScope::link, false,
                      attachment.range);
        }
    }

    ir::NodeIr& node_;
};

}  // namespace

ir::NodeIr build_ir(Model& model) {
    ir::NodeIr node;
    KernelBuilder builder(node);
    builder.reserve(model);
    for (const NetworkInfo& network : model.networks) {
        if (network.duplicate) continue;
        if (network.net.mode == ir::Mode::bridge && network.bridge_ok) builder.bridge(network);
        if (network.net.mode == ir::Mode::mesh && !network.mesh_too_big) builder.mesh(network, model);
    }
    for (const PodInfo& pod : model.pods) {
        if (!pod.duplicate) builder.pod(pod.pod, model, pod);
    }
    builder.sort();
    node.networks.reserve(model.networks.size());
    for (NetworkInfo& network : model.networks) {
        if (!network.duplicate) node.networks.push_back(std::move(network.net));
    }
    node.pods.reserve(model.pods.size());
    for (PodInfo& pod : model.pods) {
        if (!pod.duplicate) node.pods.push_back(std::move(pod.pod));
    }
    return node;
}

}  // namespace podnetc::lowering
