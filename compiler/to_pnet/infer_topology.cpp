// The networks and pods of `show --as pnet`, inferred from the live state by the
// three models of docs/LANGUAGE.md, and the notes on what the file cannot express.
// What planning the written file would do is not guessed here: adoption_notes.cpp
// lowers and plans the file itself.
#include "compiler/to_pnet/live_to_pnet.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "compiler/objects/kernel_values.hpp"
#include "compiler/live/kernel_made.hpp"
#include "compiler/live/live_state_sort.hpp"
#include "compiler/live/live_state_text.hpp"
#include "grammar/pnet_keywords.hpp"

namespace podnetc::live {
namespace {

using namespace podnetc::kernel;
constexpr std::uint8_t kWidestInferredPrefix = 24;

// A word of the .pnet language (docs/LANGUAGE.md, "Lexical structure").
bool is_word(std::string_view text) {
    if (text.empty()) return false;
    return std::all_of(text.begin(), text.end(), grammar::is_word_char);
}

ip::Prefix host_prefix(ip::Address addr) { return ip::Prefix{addr, 32}; }
ip::Prefix network_of(const ip::Prefix& p) { return ip::Prefix{p.network(), p.len}; }

// The smallest prefix that contains every address.
ip::Prefix covering(const std::vector<ip::Prefix>& addresses) {
    ip::Prefix prefix = host_prefix(addresses.front().addr);
    auto covers_all = [&](const ip::Prefix& p) {
        return std::all_of(addresses.begin(), addresses.end(), [&](const ip::Prefix& a) { return p.contains(a.addr); });
    };
    while (prefix.len > 0 && !covers_all(prefix)) prefix = network_of(ip::Prefix{prefix.addr, std::uint8_t(prefix.len - 1)});
    return network_of(prefix);
}

struct Attachment {
    std::string pod;
    std::string ifname;       // pod side
    std::string host_veth;    // bridge / route
    const Link* host = nullptr;
    const Link* pod_end = nullptr;
    std::vector<ip::Prefix> addresses;
};

std::vector<ip::Prefix> all_addresses(const std::vector<Attachment>& attachments) {
    std::vector<ip::Prefix> out;
    for (const auto& a : attachments) out.insert(out.end(), a.addresses.begin(), a.addresses.end());
    return out;
}

std::vector<const Link*> both_ends(const std::vector<Attachment>& attachments) {
    std::vector<const Link*> out;
    for (const auto& a : attachments) out.insert(out.end(), {a.host, a.pod_end});
    return out;
}

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
        note_other_namespaces();
        return std::move(out_);
    }

private:
    void note(std::string text) { out_.notes.push_back(std::move(text)); }

    const Link* link(const std::string& netns, const std::string& name) const {
        const auto it = links_.find({netns, name});
        return it == links_.end() ? nullptr : it->second;
    }

    std::vector<ip::Prefix> addresses_of(const std::string& netns, const std::string& dev) const {
        std::vector<ip::Prefix> out;
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
    ip::Prefix choose_subnet(const std::vector<ip::Prefix>& addresses, std::optional<ip::Address> avoid) const {
        const ip::Prefix base = covering(addresses);
        const ip::Prefix own = network_of(addresses.front());
        const bool shared = std::all_of(addresses.begin(), addresses.end(),
                                        [&](const ip::Prefix& a) { return network_of(a) == own; });
        auto clear = [&](const ip::Prefix& p) {
            if (avoid && p.contains(*avoid)) return false;
            return std::none_of(out_.networks.begin(), out_.networks.end(),
                                [&](const InferredNetwork& n) { return n.subnet.overlaps(p); });
        };
        if (shared && own.len < 32 && own.len <= base.len && clear(own)) return own;
        ip::Prefix subnet = base;
        while (subnet.len > kWidestInferredPrefix) {
            const ip::Prefix wider = network_of(ip::Prefix{subnet.addr, std::uint8_t(subnet.len - 1)});
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

    // The bridge or route interface an attachment becomes in the file.
    InferredInterface interface_of(const Attachment& a, const InferredNetwork& network) {
        InferredInterface i;
        i.ifname = a.ifname;
        i.network = network.name;
        i.addresses = a.addresses;
        i.host_veth = a.host_veth;
        i.mtu = interface_mtu(a, network.mtu);
        return i;
    }

    InferredPod& pod(const std::string& name) {
        auto& p = pods_[name];
        p.name = name;
        return p;
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
                                                    [&](const ip::Prefix& p) { return network.subnet.contains(p.addr); });
                    if (!inside) {
                        note(fmt::format("{}: {} has an address outside bridge {}'s subnet {}; not expressed", a.pod,
                                         a.ifname, bridge.name, network.subnet.str()));
                    }
                    return !inside;
                });
                if (ports.empty()) continue;
            } else {
                network.subnet = choose_subnet(all_addresses(ports), std::nullopt);
            }
            std::vector<const Link*> mtu_links = both_ends(ports);
            mtu_links.push_back(&bridge);
            network.mtu = common_mtu(mtu_links);
            for (const auto& a : ports) pod(a.pod).interfaces.push_back(interface_of(a, network));
            out_.networks.push_back(std::move(network));
        }
    }

    void infer_routed() {
        // Host veths without master and with proxy_arp, grouped by the gateway their pods route through.
        std::map<ip::Address, std::vector<Attachment>> by_gateway;
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
            std::optional<ip::Address> gateway;
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
        const ip::Address default_gateway = *ip::Address::parse_v4(ir::kRouteGatewayDefault);
        const Mac default_host_mac = *Mac::parse(ir::kRouteHostMacDefault);
        for (auto& [gateway, members] : by_gateway) {
            InferredNetwork network;
            network.name = unique_network_name("pods");
            network.mode = ir::Mode::route;
            if (gateway != default_gateway) network.gateway = gateway;
            network.subnet = choose_subnet(all_addresses(members), gateway);
            network.mtu = common_mtu(both_ends(members));
            for (const auto& a : members) {
                InferredInterface i = interface_of(a, network);
                if (a.host->mac && *a.host->mac != default_host_mac) i.host_mac = a.host->mac;
                pod(a.pod).interfaces.push_back(std::move(i));
            }
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
        std::map<std::string, std::vector<ip::Prefix>> addresses;
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
        std::vector<ip::Prefix> all;
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
                carrier = &p.interfaces.front();  // the language's default; the plan says what it changes
            }
            if (carrier != nullptr) carrier->default_route = true;
            out_.pods.push_back(p);
        }
    }

    void note_other_namespaces() {
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
};

}  // namespace

Inference infer_topology(const State& input) {
    State state = input;
    sort_state(state);
    return Inferrer(state).run();
}

}  // namespace podnetc::live
