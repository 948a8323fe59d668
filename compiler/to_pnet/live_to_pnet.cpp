#include "compiler/to_pnet/live_to_pnet.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "compiler/live/kernel_made.hpp"
#include "compiler/live/kernel_values.hpp"
#include "compiler/live/live_state_sort.hpp"
#include "compiler/live/live_state_text.hpp"
#include "compiler/live/ownership.hpp"
#include "grammar/pnet_keywords.hpp"

namespace podnetc::live {
namespace {

using namespace podnetc::kernel;
constexpr std::uint32_t kRouteProxyDelayMs = 0;
constexpr std::uint8_t kWidestInferredPrefix = 24;

// A word of the .pnet language (docs/LANGUAGE.md, "Lexical structure").
bool is_word(std::string_view text) {
    if (text.empty()) return false;
    return std::all_of(text.begin(), text.end(), grammar::is_word_char);
}

Ipv4Prefix host_prefix(Ipv4 addr) { return Ipv4Prefix{addr, 32}; }
Ipv4Prefix network_of(const Ipv4Prefix& p) { return Ipv4Prefix{p.network(), p.len}; }

// The smallest prefix that contains every address.
Ipv4Prefix covering(const std::vector<Ipv4Prefix>& addresses) {
    Ipv4Prefix prefix = host_prefix(addresses.front().addr);
    auto covers_all = [&](const Ipv4Prefix& p) {
        return std::all_of(addresses.begin(), addresses.end(), [&](const Ipv4Prefix& a) { return p.contains(a.addr); });
    };
    while (prefix.len > 0 && !covers_all(prefix)) prefix = network_of(Ipv4Prefix{prefix.addr, std::uint8_t(prefix.len - 1)});
    return network_of(prefix);
}

struct Attachment {
    std::string pod;
    std::string ifname;       // pod side
    std::string host_veth;    // bridge / route
    const Link* host = nullptr;
    const Link* pod_end = nullptr;
    std::vector<Ipv4Prefix> addresses;
};

class Inferrer {
public:
    explicit Inferrer(const State& state) : state_(state) {
        for (const Netns& netns : state.namespaces) {
            if (!netns.name.empty() && netns.unreadable.empty()) namespaces_.insert(netns.name);
        }
        for (const Link& link : state.links) links_[{link.netns, link.name}] = &link;
    }

    Inference run() {
        infer_bridges();
        infer_routed();
        infer_meshes();
        finish_pods();
        report_unexplained();
        // Grouped by what they are about ("host: …", "pod-1: …"), in discovery order within.
        std::stable_sort(out_.notes.begin(), out_.notes.end(), [](const std::string& a, const std::string& b) {
            return a.substr(0, a.find(':')) < b.substr(0, b.find(':'));
        });
        return std::move(out_);
    }

private:
    void note(std::string text) { out_.notes.push_back(std::move(text)); }
    static std::string where(const std::string& netns) { return netns_label(netns); }

    const Link* link(const std::string& netns, const std::string& name) const {
        const auto it = links_.find({netns, name});
        return it == links_.end() ? nullptr : it->second;
    }

    std::vector<Ipv4Prefix> addresses_of(const std::string& netns, const std::string& dev) const {
        std::vector<Ipv4Prefix> out;
        for (const Address& a : state_.addresses) {
            if (a.netns == netns && a.dev == dev && !kernel_made(a)) out.push_back(a.local);
        }
        return out;
    }

    // The pod's default route (main table, lowest metric), if any.
    const Route* default_route(const std::string& netns) const {
        const Route* best = nullptr;
        for (const Route& r : state_.routes) {
            if (r.netns == netns && r.table == kMainTable && r.dst.len == 0 && (!best || r.metric < best->metric)) best = &r;
        }
        return best;
    }

    std::string unique_network_name(const std::string& base) const {
        auto taken = [&](const std::string& name) {
            return std::any_of(out_.networks.begin(), out_.networks.end(),
                               [&](const InferredNetwork& n) { return n.name == name; });
        };
        if (!taken(base)) return base;
        for (int i = 2;; ++i) {
            const std::string name = fmt::format("{}-{}", base, i);
            if (!taken(name)) return name;
        }
    }

    // The subnet of a network without a fixed one: the pods' own common prefix if
    // they share one, else the covering prefix, widened towards /24 while it stays
    // clear of the other networks' subnets and of `avoid`.
    Ipv4Prefix choose_subnet(const std::vector<Ipv4Prefix>& addresses, std::optional<Ipv4> avoid) const {
        const Ipv4Prefix base = covering(addresses);
        const Ipv4Prefix own = network_of(addresses.front());
        const bool shared = std::all_of(addresses.begin(), addresses.end(),
                                        [&](const Ipv4Prefix& a) { return network_of(a) == own; });
        auto clear = [&](const Ipv4Prefix& p) {
            if (avoid && p.contains(*avoid)) return false;
            return std::none_of(out_.networks.begin(), out_.networks.end(),
                                [&](const InferredNetwork& n) { return n.subnet.overlaps(p); });
        };
        if (shared && own.len < 32 && own.len <= base.len && clear(own)) return own;
        Ipv4Prefix subnet = base;
        while (subnet.len > kWidestInferredPrefix) {
            const Ipv4Prefix wider = network_of(Ipv4Prefix{subnet.addr, std::uint8_t(subnet.len - 1)});
            if (!clear(wider)) break;
            subnet = wider;
        }
        return subnet;
    }

    // A host veth whose peer is in a readable, nameable pod namespace.
    std::optional<Attachment> pod_veth(const Link& host) {
        if (host.netns != "" || host.kind != "veth" || host.peer_netns.empty()) return std::nullopt;
        if (!namespaces_.count(host.peer_netns)) {
            note(host.peer_netns == "?"
                     ? fmt::format("host: veth {} leads to a namespace without a name; not expressed", host.name)
                     : fmt::format("host: veth {} leads to namespace {}, which was not read; not expressed", host.name,
                                   host.peer_netns));
            return std::nullopt;
        }
        Attachment a;
        a.pod = host.peer_netns;
        a.ifname = host.peer_name;
        a.host_veth = host.name;
        a.host = &host;
        a.pod_end = link(a.pod, a.ifname);
        if (!is_word(a.pod) || !is_word(a.host_veth) || !is_word(a.ifname) || a.pod_end == nullptr) {
            note(fmt::format("host: veth {} to {}/{} has a name the .pnet language cannot write; not expressed",
                             host.name, a.pod, a.ifname));
            return std::nullopt;
        }
        a.addresses = addresses_of(a.pod, a.ifname);
        if (a.addresses.empty()) {
            note(fmt::format("{}: {} has no IPv4 address; a pod interface needs one, so veth {} is not expressed",
                             a.pod, a.ifname, host.name));
            return std::nullopt;
        }
        return a;
    }

    // Network MTU when every involved link agrees on a non-default one; otherwise
    // per-interface MTUs where both ends agree, and a note where they do not.
    std::uint32_t common_mtu(const std::vector<const Link*>& links) const {
        if (links.empty()) return 0;
        const std::uint32_t mtu = links.front()->mtu;
        const bool same = std::all_of(links.begin(), links.end(), [&](const Link* l) { return l->mtu == mtu; });
        return same && mtu != kDefaultMtu ? mtu : 0;
    }
    std::uint32_t interface_mtu(const Attachment& a, std::uint32_t network_mtu) {
        if (a.host->mtu != a.pod_end->mtu) {
            note(fmt::format("{}: MTU of {} ({}) differs from host veth {} ({}); the file cannot express that",
                             a.pod, a.ifname, a.pod_end->mtu, a.host_veth, a.host->mtu));
            return 0;
        }
        if (network_mtu != 0 || a.host->mtu == kDefaultMtu) return 0;
        return a.host->mtu;
    }

    InferredPod& pod(const std::string& name) {
        auto& p = pods_[name];
        p.name = name;
        return p;
    }

    // ---- expectations: what lowering the file would make -------------------

    void explain(const void* object) { explained_.insert(object); }

    void expect_link(const Link* l, bool up = true) {
        if (l == nullptr) return;
        explain(l);
        if (up && !l->up()) note(fmt::format("{}: link {} is down; the plan will bring it up", where(l->netns), l->name));
    }

    void expect_address(const std::string& netns, const std::string& dev, const Ipv4Prefix& local) {
        for (const Address& a : state_.addresses) {
            if (a.netns == netns && a.dev == dev && a.local == local) {
                explain(&a);
                return;
            }
        }
        note(fmt::format("{}: address {} on {} is missing; the plan will add it", where(netns), local.str(), dev));
    }

    void expect_route(const std::string& netns, const Ipv4Prefix& dst, const std::string& dev,
                      std::optional<Ipv4> gateway, std::uint8_t scope, bool onlink) {
        std::string text = fmt::format("route {}{} dev {}", dst.len == 0 ? "default" : dst.str(),
                                       gateway ? " via " + gateway->str() : "", dev);
        for (const Route& r : state_.routes) {
            if (r.netns != netns || r.table != kMainTable || r.dst != dst || r.dev != dev || r.gateway != gateway) continue;
            explain(&r);
            if (r.scope != scope || ((r.flags & kOnlink) != 0) != onlink) {
                note(fmt::format("{}: {} differs in scope or onlink; the plan will replace it", where(netns), text));
            }
            return;
        }
        note(fmt::format("{}: {} is missing; the plan will add it", where(netns), text));
    }

    void expect_neighbor(const std::string& netns, const std::string& dev, Ipv4 dst, std::optional<Mac> lladdr) {
        for (const Neighbor& n : state_.neighbors) {
            if (n.netns != netns || n.dev != dev || n.dst != dst) continue;
            explain(&n);
            if (lladdr && n.lladdr != lladdr) {
                note(fmt::format("{}: neighbour {} on {} has another lladdr; the plan will replace it", where(netns),
                                 dst.str(), dev));
            }
            return;
        }
        note(fmt::format("{}: permanent neighbour {} lladdr {} on {} is missing; the plan will add it", where(netns),
                         dst.str(), lladdr ? lladdr->str() : std::string("?"), dev));
    }

    // ---- the three models ----------------------------------------------------

    void infer_bridges() {
        for (const Link& bridge : state_.links) {
            if (bridge.netns != "" || bridge.kind != "bridge") continue;
            std::vector<Attachment> ports;
            for (const Link& l : state_.links) {
                if (l.netns == "" && l.master == bridge.name) {
                    if (auto a = pod_veth(l)) ports.push_back(std::move(*a));
                }
            }
            if (ports.empty()) continue;
            if (!is_word(bridge.name)) {
                note(fmt::format("host: bridge {} has a name the .pnet language cannot write; not expressed", bridge.name));
                continue;
            }
            InferredNetwork network;
            network.name = unique_network_name(bridge.name);
            network.mode = ir::Mode::bridge;
            network.bridge = bridge.name;
            const auto bridge_addresses = addresses_of("", bridge.name);
            if (!bridge_addresses.empty()) {
                network.gateway = bridge_addresses.front().addr;
                network.subnet = network_of(bridge_addresses.front());
                if (bridge_addresses.size() > 1) {
                    note(fmt::format("host: bridge {} has {} addresses; only {} is expressed (as the gateway)",
                                     bridge.name, bridge_addresses.size(), bridge_addresses.front().str()));
                }
                std::erase_if(ports, [&](const Attachment& a) {
                    const bool inside = std::all_of(a.addresses.begin(), a.addresses.end(),
                                                    [&](const Ipv4Prefix& p) { return network.subnet.contains(p.addr); });
                    if (!inside) {
                        note(fmt::format("{}: {} has an address outside bridge {}'s subnet {}; not expressed", a.pod,
                                         a.ifname, bridge.name, network.subnet.str()));
                    }
                    return !inside;
                });
                if (ports.empty()) continue;
            } else {
                std::vector<Ipv4Prefix> all;
                for (const auto& a : ports) all.insert(all.end(), a.addresses.begin(), a.addresses.end());
                network.subnet = choose_subnet(all, std::nullopt);
            }
            std::vector<const Link*> mtu_links{&bridge};
            for (const auto& a : ports) mtu_links.insert(mtu_links.end(), {a.host, a.pod_end});
            network.mtu = common_mtu(mtu_links);

            expect_link(&bridge);
            if (network.gateway) expect_address("", bridge.name, Ipv4Prefix{*network.gateway, network.subnet.len});
            for (const auto& a : ports) {
                InferredInterface i;
                i.ifname = a.ifname;
                i.network = network.name;
                i.addresses = a.addresses;
                i.host_veth = a.host_veth;
                i.mtu = interface_mtu(a, network.mtu);
                pod(a.pod).interfaces.push_back(std::move(i));
                attachments_.push_back({network.name, a});
            }
            out_.networks.push_back(std::move(network));
        }
    }

    void infer_routed() {
        // Host veths without master and with proxy_arp, grouped by the gateway their pods route through.
        std::map<Ipv4, std::vector<Attachment>> by_gateway;
        for (const Link& l : state_.links) {
            if (l.netns != "" || l.kind != "veth" || !l.master.empty()) continue;
            auto a = pod_veth(l);
            if (!a) continue;
            if (!l.proxy_arp.value_or(false)) {
                note(fmt::format("{}: host veth {} is neither a bridge port nor answers ARP for a gateway "
                                 "(proxy_arp is off); not expressed",
                                 a->pod, l.name));
                continue;
            }
            std::optional<Ipv4> gateway;
            for (const Route& r : state_.routes) {
                if (r.netns == a->pod && r.table == kMainTable && r.dev == a->ifname && r.gateway) {
                    gateway = r.gateway;
                    if (r.dst.len == 0) break;
                }
            }
            if (!gateway) {
                note(fmt::format("{}: host veth {} has proxy_arp, but the pod routes via no gateway on {}; "
                                 "not expressed",
                                 a->pod, l.name, a->ifname));
                continue;
            }
            by_gateway[*gateway].push_back(std::move(*a));
        }
        const Ipv4 default_gateway = *Ipv4::parse(ir::kRouteGatewayDefault);
        const Mac default_host_mac = *Mac::parse(ir::kRouteHostMacDefault);
        for (auto& [gateway, members] : by_gateway) {
            InferredNetwork network;
            network.name = unique_network_name("pods");
            network.mode = ir::Mode::route;
            if (gateway != default_gateway) network.gateway = gateway;
            std::vector<Ipv4Prefix> all;
            for (const auto& a : members) all.insert(all.end(), a.addresses.begin(), a.addresses.end());
            network.subnet = choose_subnet(all, gateway);
            if (network.subnet.contains(gateway)) {
                note(fmt::format("pods routed via {}: the gateway lies inside their addresses' range {}; "
                                 "`podnetc check` will refuse this network",
                                 gateway.str(), network.subnet.str()));
            }
            std::vector<const Link*> mtu_links;
            for (const auto& a : members) mtu_links.insert(mtu_links.end(), {a.host, a.pod_end});
            network.mtu = common_mtu(mtu_links);
            for (const auto& a : members) {
                InferredInterface i;
                i.ifname = a.ifname;
                i.network = network.name;
                i.addresses = a.addresses;
                i.host_veth = a.host_veth;
                if (a.host->mac && *a.host->mac != default_host_mac) i.host_mac = a.host->mac;
                i.mtu = interface_mtu(a, network.mtu);
                pod(a.pod).interfaces.push_back(std::move(i));
                attachments_.push_back({network.name, a});
            }
            route_gateways_[network.name] = gateway;
            out_.networks.push_back(std::move(network));
        }
    }

    void infer_meshes() {
        // Pod-to-pod veths: edges of a graph whose connected groups are candidate meshes.
        std::map<std::string, std::map<std::string, const Link*>> edges;  // pod -> peer pod -> link in pod
        for (const Link& l : state_.links) {
            if (l.netns.empty() || l.kind != "veth" || l.peer_netns.empty() || l.peer_netns == l.netns) continue;
            if (l.peer_netns == "" || !namespaces_.count(l.netns) || !namespaces_.count(l.peer_netns)) continue;
            edges[l.netns][l.peer_netns] = &l;
        }
        std::set<std::string> seen;
        for (const auto& [start, unused] : edges) {
            if (seen.count(start)) continue;
            std::vector<std::string> group;
            std::vector<std::string> todo{start};
            while (!todo.empty()) {
                const std::string p = todo.back();
                todo.pop_back();
                if (!seen.insert(p).second) continue;
                group.push_back(p);
                for (const auto& [q, l] : edges[p]) todo.push_back(q);
            }
            std::sort(group.begin(), group.end());
            infer_mesh(group, edges);
        }
    }

    void infer_mesh(const std::vector<std::string>& group,
                    std::map<std::string, std::map<std::string, const Link*>>& edges) {
        const std::string members = fmt::format("{}", fmt::join(group, ", "));
        // A mesh connects every two pods, each interface named after the peer pod.
        for (const std::string& p : group) {
            for (const std::string& q : group) {
                if (p == q) continue;
                const auto it = edges[p].find(q);
                if (it == edges[p].end()) {
                    note(fmt::format("pods {}: veth pairs between them, but {} and {} are not connected, so they do "
                                     "not form a mesh; not expressed",
                                     members, p, q));
                    return;
                }
                const Link* l = it->second;
                if (!is_word(p) || (ifname_problem(q).empty() && l->name != q)) {
                    note(fmt::format("{}: the veth to {} is called {}, but in a mesh it is named after the peer pod; "
                                     "pods {} not expressed",
                                     p, q, l->name, members));
                    return;
                }
            }
        }
        std::map<std::string, std::vector<Ipv4Prefix>> addresses;
        for (const std::string& p : group) {
            for (const auto& [q, l] : edges[p]) {
                auto here = addresses_of(p, l->name);
                std::sort(here.begin(), here.end());
                if (!addresses.count(p)) {
                    addresses[p] = here;
                } else if (addresses[p] != here) {
                    note(fmt::format("{}: its mesh interfaces do not all hold the same addresses; pods {} not expressed",
                                     p, members));
                    return;
                }
            }
            if (addresses[p].empty()) {
                note(fmt::format("{}: its mesh interfaces have no IPv4 address; pods {} not expressed", p, members));
                return;
            }
        }
        InferredNetwork network;
        network.name = unique_network_name("mesh");
        network.mode = ir::Mode::mesh;
        std::vector<Ipv4Prefix> all;
        std::vector<const Link*> mtu_links;
        for (const std::string& p : group) {
            all.insert(all.end(), addresses[p].begin(), addresses[p].end());
            for (const auto& [q, l] : edges[p]) mtu_links.push_back(l);
        }
        network.subnet = choose_subnet(all, std::nullopt);
        network.mtu = common_mtu(mtu_links);
        if (network.mtu == 0 && std::any_of(mtu_links.begin(), mtu_links.end(), [](const Link* l) { return l->mtu != kDefaultMtu; })) {
            note(fmt::format("pods {}: the mesh interfaces' MTUs differ; the file cannot express that", members));
        }
        for (const std::string& p : group) {
            InferredInterface i;
            i.network = network.name;
            i.addresses = addresses[p];
            pod(p).interfaces.push_back(std::move(i));
            for (const auto& [q, l] : edges[p]) {
                expect_link(l);
                for (const auto& a : addresses[p]) expect_address(p, l->name, a);
            }
        }
        for (const std::string& p : group) {
            for (const auto& [q, l] : edges[p]) {
                for (const auto& b : addresses[q]) expect_route(p, host_prefix(b.addr), l->name, std::nullopt, kScopeLink, false);
            }
        }
        out_.networks.push_back(std::move(network));
    }

    // ---- pods ----------------------------------------------------------------

    void finish_pods() {
        for (auto& [name, p] : pods_) {
            // Bridge/route interfaces first (in name order), mesh last, as they will be written.
            std::stable_sort(p.interfaces.begin(), p.interfaces.end(), [](const InferredInterface& a, const InferredInterface& b) {
                return std::make_pair(a.ifname.empty(), a.ifname) < std::make_pair(b.ifname.empty(), b.ifname);
            });
            InferredInterface* carrier = nullptr;
            if (const Route* r = default_route(name)) {
                for (auto& i : p.interfaces) {
                    if (!i.ifname.empty() && i.ifname == r->dev) carrier = &i;
                }
            }
            if (carrier == nullptr && !p.interfaces.empty() && !p.interfaces.front().ifname.empty()) {
                carrier = &p.interfaces.front();  // lowering's default; the expectations will say what is missing
            }
            if (carrier != nullptr) carrier->default_route = true;
            for (const auto& [network, a] : attachments_) {
                if (a.pod == name) expect_attachment(network, a, p);
            }
            out_.pods.push_back(p);
        }
    }

    const InferredNetwork& network_named(const std::string& name) const {
        return *std::find_if(out_.networks.begin(), out_.networks.end(), [&](const InferredNetwork& n) { return n.name == name; });
    }

    void expect_attachment(const std::string& network_name, const Attachment& a, const InferredPod& p) {
        const InferredNetwork& network = network_named(network_name);
        const auto& i = *std::find_if(p.interfaces.begin(), p.interfaces.end(),
                                      [&](const InferredInterface& x) { return x.ifname == a.ifname; });
        expect_link(a.host);
        expect_link(a.pod_end);
        for (const auto& addr : a.addresses) expect_address(a.pod, a.ifname, addr);
        const Ipv4Prefix& first = a.addresses.front();
        if (network.mode == ir::Mode::bridge) {
            if (i.default_route) {
                if (network.gateway) {
                    expect_route(a.pod, Ipv4Prefix{Ipv4{0}, 0}, a.ifname, network.gateway, 0, !first.contains(*network.gateway));
                } else {
                    expect_route(a.pod, Ipv4Prefix{Ipv4{0}, 0}, a.ifname, std::nullopt, kScopeLink, false);
                }
            } else if (!(first.len <= network.subnet.len && first.contains(network.subnet.addr))) {
                expect_route(a.pod, network.subnet, a.ifname, std::nullopt, kScopeLink, false);
            }
            return;
        }
        // route mode
        const Ipv4 gateway = route_gateways_.at(network_name);
        const Link& host = *a.host;
        if (!host.forwarding.value_or(false)) {
            note(fmt::format("host: forwarding is off on {}; the plan will turn it on", host.name));
        }
        if (host.proxy_delay_ms != kRouteProxyDelayMs) {
            note(fmt::format("host: ARP proxy_delay of {} is {}; the plan will set 0", host.name,
                             host.proxy_delay_ms ? fmt::format("{} ms", *host.proxy_delay_ms) : std::string("unknown")));
        }
        for (const auto& addr : a.addresses) expect_route("", host_prefix(addr.addr), host.name, std::nullopt, kScopeLink, false);
        expect_neighbor(a.pod, a.ifname, gateway, host.mac);
        if (i.default_route) {
            expect_route(a.pod, host_prefix(gateway), a.ifname, std::nullopt, kScopeLink, false);
            expect_route(a.pod, Ipv4Prefix{Ipv4{0}, 0}, a.ifname, gateway, 0, false);
        } else {
            expect_route(a.pod, network.subnet, a.ifname, gateway, 0, true);
        }
    }

    // ---- what the file leaves out ------------------------------------------------

    template <class Object>
    void report_if_unexplained(const Object& object, const std::string& what) {
        if (explained_.count(&object)) return;
        if (is_owned(object)) {
            note(fmt::format("{}: {} carries podnetc's marker but is not in the file; the plan would delete it",
                             where(object.netns), what));
        } else {
            note(fmt::format("{}: {} is not in the file; it stays as it is (foreign)", where(object.netns), what));
        }
    }

    void report_unexplained() {
        std::set<std::string> host_devices;  // host devices the file is about
        for (const auto& [network, a] : attachments_) host_devices.insert(a.host_veth);
        for (const InferredNetwork& n : out_.networks) {
            if (n.mode == ir::Mode::bridge) host_devices.insert(n.bridge);
        }
        auto relevant = [&](const std::string& netns, const std::string& dev) {
            return netns.empty() ? host_devices.count(dev) != 0 : pods_.count(netns) != 0;
        };
        for (const Link& l : state_.links) {
            if (!l.netns.empty() && pods_.count(l.netns) && l.name != "lo") report_if_unexplained(l, "link " + l.name);
        }
        for (const Address& a : state_.addresses) {
            if (!kernel_made(a) && relevant(a.netns, a.dev)) {
                report_if_unexplained(a, fmt::format("address {} on {}", a.local.str(), a.dev));
            }
        }
        for (const Route& r : state_.routes) {
            if (kernel_made(r) || !relevant(r.netns, r.dev)) continue;
            std::string text = fmt::format("route {}{}{}", r.dst.len == 0 ? std::string("default") : r.dst.str(),
                                           r.gateway ? " via " + r.gateway->str() : "",
                                           r.dev.empty() ? "" : " dev " + r.dev);
            if (r.table != kMainTable) text += fmt::format(" table {}", r.table);
            report_if_unexplained(r, text);
        }
        for (const Neighbor& n : state_.neighbors) {
            if (relevant(n.netns, n.dev)) report_if_unexplained(n, fmt::format("neighbour {} on {}", n.dst.str(), n.dev));
        }
        for (const std::string& netns : namespaces_) {
            if (pods_.count(netns)) continue;
            const bool has_links = std::any_of(state_.links.begin(), state_.links.end(),
                                               [&](const Link& l) { return l.netns == netns && l.name != "lo"; });
            note(fmt::format("namespace {}: {}; not a pod of this file", netns,
                             has_links ? "nothing podnetc can express connects it" : "it holds no interface but lo"));
        }
        for (const Netns& netns : state_.namespaces) {
            if (!netns.unreadable.empty()) note(fmt::format("namespace {}: not read ({})", netns.name, netns.unreadable));
        }
    }

    const State& state_;
    Inference out_;
    std::set<std::string> namespaces_;  // named, readable
    std::map<std::pair<std::string, std::string>, const Link*> links_;
    std::map<std::string, InferredPod> pods_;
    std::vector<std::pair<std::string, Attachment>> attachments_;  // network name, bridge/route attachment
    std::map<std::string, Ipv4> route_gateways_;                   // route network -> gateway in effect
    std::set<const void*> explained_;
};

std::string interface_options(const InferredInterface& i) {
    std::string out = fmt::format("on {}", i.network);
    for (const auto& a : i.addresses) out += " address " + a.str();
    if (!i.host_veth.empty()) out += " host-veth " + i.host_veth;
    if (i.host_mac) out += " host-mac " + i.host_mac->str();
    if (i.mtu != 0) out += fmt::format(" mtu {}", i.mtu);
    return out;
}

}  // namespace

Inference infer_topology(const State& input) {
    State state = input;
    sort_state(state);
    return Inferrer(state).run();
}

std::string to_pnet(const Inference& inference) {
    std::string out =
        "# Adopted from this node's live state by `podnetc show --as pnet`. Pods (and\n"
        "# bridge networks) are marked `adopt`: applying the file takes the existing\n"
        "# objects over instead of creating them.\n";
    if (inference.networks.empty()) out += "#\n# No bridge, routed or mesh pod networking was found.\n";
    if (!inference.networks.empty()) out += '\n';
    for (const InferredNetwork& n : inference.networks) {
        out += fmt::format("network {} mode {} subnet {}", n.name, ir::mode_name(n.mode), n.subnet.str());
        if (n.mode == ir::Mode::bridge && n.bridge != n.name) out += " bridge " + n.bridge;
        if (n.gateway) out += " gateway " + n.gateway->str();
        if (n.mtu != 0) out += fmt::format(" mtu {}", n.mtu);
        if (n.mode == ir::Mode::bridge) out += " adopt";
        out += '\n';
    }
    if (!inference.pods.empty()) out += '\n';
    for (const InferredPod& p : inference.pods) {
        // Lowering gives the default route to the first bridge/route interface unless told otherwise.
        const InferredInterface* first_named = nullptr;
        for (const auto& i : p.interfaces) {
            if (!i.ifname.empty() && first_named == nullptr) first_named = &i;
        }
        auto flags = [&](const InferredInterface& i) {
            return i.default_route && &i != first_named ? std::string(" default-route") : std::string();
        };
        const bool one_line = p.interfaces.size() == 1 && (p.interfaces[0].ifname.empty() || p.interfaces[0].ifname == "eth0");
        if (one_line) {
            out += fmt::format("pod {} adopt {}{}\n", p.name, interface_options(p.interfaces[0]), flags(p.interfaces[0]));
            continue;
        }
        out += fmt::format("pod {} adopt {{\n", p.name);
        for (const auto& i : p.interfaces) {
            out += fmt::format("  {}{}{}\n", i.ifname.empty() ? "" : i.ifname + " ", interface_options(i), flags(i));
        }
        out += "}\n";
    }
    if (!inference.notes.empty()) {
        out += "\n# Notes: what this file does not express, and what a plan would still change.\n";
        for (const std::string& n : inference.notes) out += "#   " + n + "\n";
    }
    return out;
}

std::string to_pnet(const State& state) { return to_pnet(infer_topology(state)); }

}  // namespace podnetc::live
