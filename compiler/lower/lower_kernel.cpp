// The kernel objects of a checked model, per mode (docs/LANGUAGE.md, "What each
// mode builds"), in the order documented in ir.hpp. Built namespace by namespace
// (the host first, then the pods by name), so that only the host's objects need
// a large sort; each pod's few objects are sorted where they are made.
#include <algorithm>
#include <string_view>
#include <tuple>
#include <utility>

#include "compiler/lower/lower_model.hpp"
#include "compiler/lower/naming.hpp"

namespace podnetc::lowering {
namespace {

const ip::Prefix kDefaultDst{ip::Address::v4(0), 0};

ip::Prefix host_prefix(ip::Address address) { return ip::Prefix{address, 32}; }

// Sorts items[begin, end()) by a small key (views into the objects), then moves
// each object once, following the permutation's cycles: kernel objects are
// hundreds of bytes, too big to shuffle around in a sort.
template <typename T, typename KeyOf>
void sort_range(std::vector<T>& items, std::size_t begin, KeyOf key_of) {
    using Key = decltype(key_of(items.front()));
    const std::size_t count = items.size() - begin;
    std::vector<std::pair<Key, std::uint32_t>> keys;
    keys.reserve(count);
    for (std::size_t i = 0; i < count; ++i) keys.emplace_back(key_of(items[begin + i]), static_cast<std::uint32_t>(i));
    std::sort(keys.begin(), keys.end());
    std::vector<bool> placed(count);
    for (std::size_t start = 0; start < count; ++start) {
        if (placed[start] || keys[start].second == start) continue;
        T held = std::move(items[begin + start]);
        std::size_t at = start;
        while (keys[at].second != start) {
            items[begin + at] = std::move(items[begin + keys[at].second]);
            placed[at] = true;
            at = keys[at].second;
        }
        items[begin + at] = std::move(held);
        placed[at] = true;
    }
}

// Sorts items[begin, end): in place for the few objects of one pod (stable, no
// allocation), by sort_range for more (a pod in a large mesh).
template <typename T, typename KeyOf>
void sort_tail(std::vector<T>& items, std::size_t begin, KeyOf key_of) {
    if (items.size() - begin > 16) {
        sort_range(items, begin, key_of);
        return;
    }
    for (std::size_t i = begin + 1; i < items.size(); ++i) {
        for (std::size_t j = i; j > begin && key_of(items[j]) < key_of(items[j - 1]); --j) std::swap(items[j], items[j - 1]);
    }
}

auto link_key(const ir::Link& l) { return std::pair<std::string_view, std::string_view>(l.netns, l.name); }
auto address_key(const ir::Address& a) {
    return std::tuple<std::string_view, std::string_view, ip::Prefix>(a.netns, a.dev, a.local);
}
auto route_key(const ir::Route& r) {
    return std::tuple<std::string_view, ip::Address, std::uint8_t, std::string_view>(r.netns, r.dst.addr, r.dst.len, r.dev);
}
auto neighbor_key(const ir::Neighbor& n) { return std::tuple<std::string_view, std::string_view, ip::Address>(n.netns, n.dev, n.dst); }

// Where each kind of object of the current namespace starts.
struct Marks {
    std::size_t links, addresses, routes, neighbors;
};

class KernelBuilder {
public:
    KernelBuilder(ir::NodeIr& node, const Model& model) : node_(node), model_(model) {}

    void build() {
        reserve();
        prepare_meshes();
        host_namespace();
        std::vector<std::uint32_t> order;
        order.reserve(model_.pods.size());
        for (std::uint32_t p = 0; p < model_.pods.size(); ++p) {
            if (!model_.pods[p].duplicate) order.push_back(p);
        }
        std::sort(order.begin(), order.end(),
                  [&](std::uint32_t x, std::uint32_t y) { return model_.pods[x].pod.name < model_.pods[y].pod.name; });
        for (const std::uint32_t p : order) {
            const PodInfo& pod = model_.pods[p];
            node_.namespaces.push_back(ir::declared_netns(pod.pod.name, pod.pod.adopt, pod.pod.range));
            const Marks marks = mark();
            for (std::size_t a = 0; a < pod.attachments.size(); ++a) pod_side(pod, a);
            sort_tail(node_.links, marks.links, link_key);
            sort_tail(node_.addresses, marks.addresses, address_key);
            sort_tail(node_.routes, marks.routes, route_key);
            sort_tail(node_.neighbors, marks.neighbors, neighbor_key);
        }
    }

private:
    template <typename Visit>
    void for_each_attachment(Visit visit) const {
        for (const PodInfo& pod : model_.pods) {
            if (pod.duplicate) continue;
            for (std::size_t a = 0; a < pod.attachments.size(); ++a) visit(pod, pod.pod.attachments[a], pod.attachments[a]);
        }
    }

    void reserve() {
        std::size_t links = 0;
        std::size_t addresses = 0;
        std::size_t routes = 0;
        std::size_t neighbors = 0;
        for_each_attachment([&](const PodInfo&, const ir::Attachment& attachment, const AttachmentInfo& extra) {
            const std::size_t count = attachment.addresses.size();
            if (attachment.mode == ir::Mode::mesh) {
                const std::size_t peers = model_.networks[extra.network].members.size() - 1;
                links += peers;
                addresses += peers * count;
                routes += peers * count;  // the peers' addresses, about as many as ours
            } else {
                links += 2;
                addresses += count;
                routes += count + 2;
                neighbors += 1;
            }
        });
        node_.namespaces.reserve(model_.pods.size());
        node_.links.reserve(links + model_.networks.size());
        node_.addresses.reserve(addresses + model_.networks.size());
        node_.routes.reserve(routes);
        node_.neighbors.reserve(neighbors);
    }

    // The name of the interface towards each member of each mesh.
    void prepare_meshes() {
        mesh_names_.resize(model_.networks.size());
        for (std::size_t n = 0; n < model_.networks.size(); ++n) {
            const NetworkInfo& network = model_.networks[n];
            if (network.duplicate || network.net.mode != ir::Mode::mesh || network.mesh_too_big) continue;
            mesh_names_[n].reserve(network.members.size());
            for (const Member& member : network.members) {
                mesh_names_[n].push_back(naming::mesh_ifname(model_.pods[member.pod].pod.name));
            }
        }
    }

    Marks mark() const {
        return Marks{node_.links.size(), node_.addresses.size(), node_.routes.size(), node_.neighbors.size()};
    }

    // The host's links and routes, one per pod or more, are made in their final
    // order from sorted keys instead of being sorted afterwards.
    void host_namespace() {
        struct LinkKey {
            std::string_view name;
            std::uint32_t owner;       // network (a bridge) or pod
            std::uint32_t attachment;  // kNone for a bridge
            bool operator<(const LinkKey& other) const {
                return std::tie(name, owner, attachment) < std::tie(other.name, other.owner, other.attachment);
            }
        };
        struct RouteKey {
            ip::Address dst;
            std::string_view dev;
            std::uint32_t pod;
            std::uint32_t attachment;
            bool operator<(const RouteKey& other) const {
                return std::tie(dst, dev, pod, attachment) < std::tie(other.dst, other.dev, other.pod, other.attachment);
            }
        };
        std::vector<LinkKey> links;
        std::vector<RouteKey> routes;
        links.reserve(node_.links.capacity());
        routes.reserve(node_.routes.capacity());
        for (std::uint32_t n = 0; n < model_.networks.size(); ++n) {
            const NetworkInfo& network = model_.networks[n];
            if (!network.duplicate && network.net.mode == ir::Mode::bridge && network.bridge_ok) {
                links.push_back(LinkKey{network.net.bridge, n, kNone});
            }
        }
        for (std::uint32_t p = 0; p < model_.pods.size(); ++p) {
            const PodInfo& pod = model_.pods[p];
            if (pod.duplicate) continue;
            for (std::uint32_t a = 0; a < pod.attachments.size(); ++a) {
                const ir::Attachment& attachment = pod.pod.attachments[a];
                if (attachment.mode == ir::Mode::mesh) continue;
                links.push_back(LinkKey{attachment.host_veth, p, a});
                if (attachment.mode != ir::Mode::route) continue;
                for (const ip::Prefix& address : attachment.addresses) {
                    routes.push_back(RouteKey{address.addr, attachment.host_veth, p, a});
                }
            }
        }
        std::sort(links.begin(), links.end());
        std::sort(routes.begin(), routes.end());
        for (const LinkKey& key : links) {
            if (key.attachment == kNone) {
                bridge(model_.networks[key.owner]);
            } else {
                const PodInfo& pod = model_.pods[key.owner];
                host_veth(pod.pod, pod.pod.attachments[key.attachment],
                          model_.networks[pod.attachments[key.attachment].network]);
            }
        }
        for (const RouteKey& key : routes) {
            const ir::Pod& pod = model_.pods[key.pod].pod;
            const ir::Attachment& attachment = pod.attachments[key.attachment];
            add_route(pod, ir::kHostNetns, host_prefix(key.dst), std::nullopt, attachment.host_veth,
                      kernel::kScopeLink, false, attachment.range);
        }
        // The bridges' gateway addresses: few.
        for (const NetworkInfo& network : model_.networks) {
            if (network.duplicate || !network.bridge_ok || !network.net.gateway) continue;
            node_.addresses.push_back(ir::owned_address(std::string(ir::kHostNetns), network.net.bridge,
                                                  ip::Prefix{*network.net.gateway, network.net.subnet.len}, "",
                                                  network.net.adopt, network.net.range));
        }
        sort_tail(node_.addresses, 0, address_key);
    }

    void bridge(const NetworkInfo& network) {
        ir::Link& link = node_.links.emplace_back();
        link.name = network.net.bridge;
        link.kind = kernel::kBridge;
        // A fixed MAC (naming.hpp); a bridge taken over keeps the one it has.
        if (!network.net.adopt) link.mac = naming::bridge_mac(network.net.bridge);
        link.mtu = network.net.mtu;
        link.network = network.net.name;
        link.adopt = network.net.adopt;
        link.range = network.net.range;
    }

    // The host end of a bridge/route attachment.
    void host_veth(const ir::Pod& pod, const ir::Attachment& attachment, const NetworkInfo& network) {
        ir::Link& host = node_.links.emplace_back();
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
        if (attachment.mode == ir::Mode::bridge) {
            host.master = network.net.bridge;
            return;
        }
        host.proxy_arp = true;
        host.forwarding = true;
        host.proxy_delay_ms = 0;
    }

    void pod_side(const PodInfo& info, std::size_t index) {
        const ir::Pod& pod = info.pod;
        const ir::Attachment& attachment = pod.attachments[index];
        if (attachment.mode == ir::Mode::mesh) {
            mesh_ends(info, index);
            return;
        }
        ir::Link& inside = node_.links.emplace_back();
        inside.netns = pod.name;
        inside.name = attachment.ifname;
        inside.peer_name = attachment.host_veth;
        inside.mac = attachment.mac;
        inside.mtu = attachment.mtu;
        inside.pod = pod.name;
        inside.network = attachment.network;
        inside.adopt = pod.adopt;
        inside.range = attachment.range;
        add_addresses(pod, attachment, attachment.ifname);
        const NetworkInfo& network = model_.networks[info.attachments[index].network];
        if (attachment.mode == ir::Mode::bridge) {
            bridge_routes(pod, attachment, network);
        } else {
            route_routes(pod, attachment, network);
        }
    }

    void bridge_routes(const ir::Pod& pod, const ir::Attachment& attachment, const NetworkInfo& network) {
        const auto& gateway = network.net.gateway;
        const auto& addresses = attachment.addresses;
        if (attachment.default_route) {
            if (gateway) {
                const bool reachable = std::any_of(addresses.begin(), addresses.end(),
                                                   [&](const ip::Prefix& a) { return a.contains(*gateway); });
                add_route(pod, pod.name, kDefaultDst, gateway, attachment.ifname, kernel::kScopeUniverse,
                          !reachable, attachment.range);
            } else {
                add_route(pod, pod.name, kDefaultDst, std::nullopt, attachment.ifname, kernel::kScopeLink, false,
                          attachment.range);
            }
            return;
        }
        const ip::Prefix& subnet = network.net.subnet;
        const bool covered = std::any_of(addresses.begin(), addresses.end(), [&](const ip::Prefix& a) {
            return a.len <= subnet.len && a.contains(subnet.addr);
        });
        if (!covered) {
            add_route(pod, pod.name, subnet, std::nullopt, attachment.ifname, kernel::kScopeLink, false,
                      attachment.range);
        }
    }

    void route_routes(const ir::Pod& pod, const ir::Attachment& attachment, const NetworkInfo& network) {
        const ip::Address gateway = *network.net.gateway;
        node_.neighbors.push_back(ir::owned_neighbor(pod.name, attachment.ifname, gateway, *attachment.host_mac, pod.name,
                                               pod.adopt, attachment.range));
        if (attachment.default_route) {
            add_route(pod, pod.name, host_prefix(gateway), std::nullopt, attachment.ifname, kernel::kScopeLink, false,
                      attachment.range);
            add_route(pod, pod.name, kDefaultDst, gateway, attachment.ifname, kernel::kScopeUniverse, false,
                      attachment.range);
        } else {
            add_route(pod, pod.name, network.net.subnet, gateway, attachment.ifname, kernel::kScopeUniverse, true,
                      attachment.range);
        }
    }

    // This pod's end of its pair with every other member of the mesh; the end in
    // the pod declared first is the primary one.
    void mesh_ends(const PodInfo& info, std::size_t index) {
        const ir::Pod& pod = info.pod;
        const ir::Attachment& attachment = pod.attachments[index];
        const std::uint32_t n = info.attachments[index].network;
        const NetworkInfo& network = model_.networks[n];
        if (network.mesh_too_big) return;
        const std::uint32_t self = info.attachments[index].member;
        const std::vector<std::string>& names = mesh_names_[n];
        for (std::uint32_t m = 0; m < network.members.size(); ++m) {
            if (m == self) continue;
            const Member& peer_member = network.members[m];
            const ir::Pod& peer = model_.pods[peer_member.pod].pod;
            ir::Link& link = node_.links.emplace_back();
            link.netns = pod.name;
            link.name = names[m];
            link.peer_netns = peer.name;
            link.peer_name = names[self];
            link.primary = self < m;
            link.mtu = network.net.mtu;
            link.pod = pod.name;
            link.network = network.net.name;
            link.adopt = pod.adopt;
            link.range = attachment.range;
            add_addresses(pod, attachment, names[m]);
            for (const ip::Prefix& address : peer.attachments[peer_member.attachment].addresses) {
                add_route(pod, pod.name, host_prefix(address.addr), std::nullopt, names[m], kernel::kScopeLink, false,
                          attachment.range);
            }
        }
    }

    void add_addresses(const ir::Pod& pod, const ir::Attachment& attachment, const std::string& dev) {
        for (const ip::Prefix& address : attachment.addresses) {
            node_.addresses.push_back(ir::owned_address(pod.name, dev, address, pod.name, pod.adopt, attachment.range));
        }
    }

    void add_route(const ir::Pod& pod, std::string_view netns, ip::Prefix dst, std::optional<ip::Address> gateway,
                   const std::string& dev, std::uint8_t scope, bool onlink, SourceRange range) {
        node_.routes.push_back(ir::owned_route(std::string(netns), dst, gateway, dev, scope, onlink, std::nullopt, pod.name,
                                         pod.adopt, range));
    }

    ir::NodeIr& node_;
    const Model& model_;
    std::vector<std::vector<std::string>> mesh_names_;  // per network, per member
};

}  // namespace

ir::NodeIr build_ir(Model& model) {
    ir::NodeIr node;
    KernelBuilder(node, model).build();
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
