#include "tests/unit/plan/plan_fixtures.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "compiler/objects/object_keys.hpp"
#include "compiler/objects/ownership.hpp"
#include "compiler/plan/planner.hpp"

namespace podnetc::test {
namespace {

constexpr std::uint32_t kUpRunning = 0x1 | 0x40 | 0x10000;  // IFF_UP | IFF_RUNNING | IFF_LOWER_UP
constexpr std::uint32_t kLoopback = 0x8;

SourceRange line_range(FileId file, const std::string& text, std::size_t line) {
    std::size_t offset = 0;
    for (std::size_t i = 0; i < line; ++i) offset = text.find('\n', offset) + 1;
    const std::size_t end = text.find('\n', offset);
    return SourceRange{file, static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(end - offset)};
}

}  // namespace

ip::Address ipv4(std::string_view text) {
    const auto v = ip::Address::parse_v4(text);
    if (!v) throw std::invalid_argument(std::string(text));
    return *v;
}

ip::Prefix prefix(std::string_view text) {
    const auto v = ip::Prefix::parse(text);
    if (!v) throw std::invalid_argument(std::string(text));
    return *v;
}

Mac mac(std::string_view text) {
    const auto v = Mac::parse(text);
    if (!v) throw std::invalid_argument(std::string(text));
    return *v;
}

// ---- IR ---------------------------------------------------------------------

IrBuilder& IrBuilder::node(std::string name) {
    node_ = std::move(name);
    return *this;
}

IrBuilder& IrBuilder::bridge_network(std::string name, std::string subnet, std::string gateway, bool adopt) {
    std::string line = fmt::format("network {} mode bridge subnet {}", name, subnet);
    if (!gateway.empty()) line += " gateway " + gateway;
    if (adopt) line += " adopt";
    nets_.push_back(Net{name, ir::Mode::bridge, subnet, gateway, adopt, lines_.size()});
    lines_.push_back(line);
    return *this;
}

IrBuilder& IrBuilder::route_network(std::string name, std::string subnet) {
    nets_.push_back(Net{name, ir::Mode::route, subnet, std::string(ir::kRouteGatewayDefault), false, lines_.size()});
    lines_.push_back(fmt::format("network {} mode route subnet {}", name, subnet));
    return *this;
}

IrBuilder& IrBuilder::mesh_network(std::string name, std::string subnet) {
    nets_.push_back(Net{name, ir::Mode::mesh, subnet, "", false, lines_.size()});
    lines_.push_back(fmt::format("network {} mode mesh subnet {}", name, subnet));
    return *this;
}

IrBuilder& IrBuilder::pod(PodSpec spec) {
    std::string line = fmt::format("pod {}{} on {} address {}", spec.name, spec.adopt ? " adopt" : "", spec.network,
                                   spec.address);
    if (!spec.host_veth.empty()) line += " host-veth " + spec.host_veth;
    if (spec.mtu != 0) line += fmt::format(" mtu {}", spec.mtu);
    pods_.push_back(Pod{spec, lines_.size()});
    lines_.push_back(line);
    return *this;
}

IrBuilder& IrBuilder::pod(std::string name, std::string network, std::string address, std::string host_veth) {
    return pod(PodSpec{std::move(name), std::move(network), std::move(address), std::move(host_veth)});
}

std::string IrBuilder::text() const {
    std::string out;
    for (const auto& l : lines_) out += l + "\n";
    return out;
}

ir::NodeIr IrBuilder::build(SourceSet& sources, std::string path) const {
    const std::string file_text = text();
    const FileId file = sources.add(std::move(path), file_text);
    const auto range = [&](std::size_t line) { return line_range(file, file_text, line); };
    const auto net_of = [&](const std::string& name) -> const Net& {
        for (const auto& n : nets_) {
            if (n.name == name) return n;
        }
        throw std::invalid_argument("unknown network " + name);
    };

    ir::NodeIr out;
    out.node = node_;
    for (const auto& n : nets_) {
        ir::Network net;
        net.name = n.name;
        net.mode = n.mode;
        net.subnet = prefix(n.subnet);
        if (!n.gateway.empty()) net.gateway = ipv4(n.gateway);
        net.bridge = n.mode == ir::Mode::bridge ? n.name : "";
        net.adopt = n.adopt;
        net.range = range(n.line);
        out.networks.push_back(net);
        if (n.mode != ir::Mode::bridge) continue;
        ir::Link bridge;
        bridge.netns = "";
        bridge.name = n.name;
        bridge.kind = kernel::kBridge;
        bridge.network = n.name;
        bridge.adopt = n.adopt;
        bridge.range = net.range;
        out.links.push_back(bridge);
        if (!n.gateway.empty()) {
            out.addresses.push_back(ir::owned_address("", n.name, ip::Prefix{ipv4(n.gateway), net.subnet.len}, "", n.adopt, net.range));
        }
    }

    const Mac host_mac = mac(ir::kRouteHostMacDefault);
    for (const auto& p : pods_) {
        const Net& n = net_of(p.spec.network);
        const SourceRange r = range(p.line);
        const std::string& pod = p.spec.name;
        const bool adopt = p.spec.adopt;
        const ip::Prefix subnet = prefix(n.subnet);
        const ip::Prefix address = *ip::Prefix::parse(p.spec.address, n.mode == ir::Mode::bridge ? subnet.len : 32);
        out.namespaces.push_back(ir::declared_netns(pod, adopt, r));
        ir::Pod model;
        model.name = pod;
        model.adopt = adopt;
        model.range = r;
        ir::Attachment at;
        at.network = n.name;
        at.mode = n.mode;
        at.ifname = n.mode == ir::Mode::mesh ? "" : "eth0";
        at.addresses = {address};
        at.host_veth = p.spec.host_veth;
        at.mtu = p.spec.mtu;
        at.default_route = n.mode != ir::Mode::mesh;
        at.range = r;
        model.attachments.push_back(at);
        out.pods.push_back(model);
        if (n.mode == ir::Mode::mesh) continue;

        ir::Link host;
        host.netns = "";
        host.name = p.spec.host_veth;
        host.kind = kernel::kVeth;
        host.peer_netns = pod;
        host.peer_name = "eth0";
        host.primary = true;
        host.mtu = p.spec.mtu;
        host.pod = pod;
        host.network = n.name;
        host.adopt = adopt;
        host.range = r;
        ir::Link inside = host;
        inside.netns = pod;
        inside.name = "eth0";
        inside.peer_netns = "";
        inside.peer_name = p.spec.host_veth;
        inside.primary = false;
        if (n.mode == ir::Mode::bridge) {
            host.master = n.name;
            out.links.push_back(host);
            out.links.push_back(inside);
            out.addresses.push_back(ir::owned_address(pod, "eth0", address, pod, adopt, r));
            ir::Route def = ir::owned_route(pod, prefix("0.0.0.0/0"), std::nullopt, "eth0", kernel::kScopeLink, false, std::nullopt, pod, adopt, r);
            if (!n.gateway.empty()) {
                def.gateway = ipv4(n.gateway);
                def.scope = kernel::kScopeUniverse;
                if (!address.contains(*def.gateway)) def.flags |= kernel::kOnlink;
            }
            out.routes.push_back(def);
        } else {
            const ip::Address gateway = ipv4(n.gateway);
            host.mac = host_mac;
            host.proxy_arp = true;
            host.forwarding = true;
            host.proxy_delay_ms = 0;
            out.links.push_back(host);
            out.links.push_back(inside);
            out.routes.push_back(ir::owned_route("", ip::Prefix{address.addr, 32}, std::nullopt, p.spec.host_veth,
                                           kernel::kScopeLink, false, std::nullopt, pod, adopt, r));
            out.addresses.push_back(ir::owned_address(pod, "eth0", address, pod, adopt, r));
            out.neighbors.push_back(ir::owned_neighbor(pod, "eth0", gateway, host_mac, pod, adopt, r));
            out.routes.push_back(ir::owned_route(pod, ip::Prefix{gateway, 32}, std::nullopt, "eth0", kernel::kScopeLink,
                                           false, std::nullopt, pod, adopt, r));
            out.routes.push_back(ir::owned_route(pod, prefix("0.0.0.0/0"), gateway, "eth0", kernel::kScopeUniverse, false,
                                           std::nullopt, pod, adopt, r));
        }
    }

    for (const auto& n : nets_) {
        if (n.mode != ir::Mode::mesh) continue;
        std::vector<const Pod*> members;
        for (const auto& p : pods_) {
            if (p.spec.network == n.name) members.push_back(&p);
        }
        for (std::size_t i = 0; i < members.size(); ++i) {
            const auto& me = members[i]->spec;
            const SourceRange r = range(members[i]->line);
            const ip::Prefix mine = *ip::Prefix::parse(me.address, 32);
            for (std::size_t j = 0; j < members.size(); ++j) {
                if (i == j) continue;
                const auto& other = members[j]->spec;
                ir::Link l;
                l.netns = me.name;
                l.name = other.name;
                l.kind = kernel::kVeth;
                l.peer_netns = other.name;
                l.peer_name = me.name;
                l.primary = i < j;
                l.mtu = me.mtu;
                l.pod = me.name;
                l.network = n.name;
                l.adopt = me.adopt;
                l.range = r;
                out.links.push_back(l);
                out.addresses.push_back(ir::owned_address(me.name, other.name, mine, me.name, me.adopt, r));
                const ip::Prefix theirs = *ip::Prefix::parse(other.address, 32);
                out.routes.push_back(ir::owned_route(me.name, ip::Prefix{theirs.addr, 32}, std::nullopt, other.name,
                                               kernel::kScopeLink, false, std::nullopt, me.name, me.adopt, r));
            }
        }
    }
    return out;
}

// ---- live -------------------------------------------------------------------

namespace {

class LiveWriter {
public:
    live::State s;

    live::Link& link(const std::string& netns, const std::string& name, const std::string& kind) {
        live::Link l;
        l.netns = netns;
        l.ifindex = netns.empty() || name != "lo" ? next_ifindex_++ : 1;
        l.name = name;
        l.kind = kind;
        Mac m;
        m.bytes = {0x02, 0x42, 0x0a, 0x00, static_cast<std::uint8_t>(l.ifindex >> 8),
                   static_cast<std::uint8_t>(l.ifindex & 0xff)};
        l.mac = m;
        l.mtu = 1500;
        l.proxy_arp = false;
        l.forwarding = false;
        l.proxy_delay_ms = 80;
        s.links.push_back(l);
        return s.links.back();
    }

    void lo(const std::string& netns, bool up) {
        live::Link& l = link(netns, "lo", "");
        l.mac = Mac{};
        l.mtu = 65536;
        l.flags = kLoopback | (up ? kUpRunning : 0);
        l.operstate = up ? 0 : 2;  // IF_OPER_UNKNOWN / IF_OPER_DOWN
        if (!up) return;
        address(netns, "lo", prefix("127.0.0.1/8"), 1, true).scope = 254;
    }

    live::Address& address(const std::string& netns, const std::string& dev, ip::Prefix local, std::uint8_t protocol,
                           bool dev_up) {
        live::Address a;
        a.netns = netns;
        a.dev = dev;
        a.local = local;
        a.flags = 0x80;
        a.protocol = protocol;
        for (const auto& o : s.addresses) {
            if (o.netns == netns && o.dev == dev && (o.flags & 1) == 0 && o.local.len == local.len &&
                o.local.network() == local.network()) {
                a.flags |= 1;
            }
        }
        live::Route local_route;
        local_route.netns = netns;
        local_route.table = 255;
        local_route.dst = ip::Prefix{local.addr, 32};
        local_route.dev = dev;
        local_route.scope = 254;
        local_route.protocol = 2;
        local_route.type = 2;
        local_route.prefsrc = local.addr;
        s.routes.push_back(local_route);
        if (dev_up && (a.flags & 1) == 0 && local.len < 32 && dev != "lo") {
            live::Route r;
            r.netns = netns;
            r.dst = ip::Prefix{local.network(), local.len};
            r.dev = dev;
            r.scope = 253;
            r.protocol = 2;
            r.prefsrc = local.addr;
            s.routes.push_back(r);
        }
        s.addresses.push_back(a);
        return s.addresses.back();
    }

    void uplink() {
        live::Link& eth0 = link("", "eth0", "");
        eth0.flags = kUpRunning;
        eth0.operstate = 6;
        eth0.forwarding = true;
        address("", "eth0", prefix("192.168.0.10/24"), 0, true);
        live::Route def;
        def.netns = "";
        def.dst = prefix("0.0.0.0/0");
        def.gateway = ipv4("192.168.0.1");
        def.dev = "eth0";
        def.protocol = 16;  // dhcp
        def.metric = 100;
        s.routes.push_back(def);
    }

private:
    std::int32_t next_ifindex_ = 2;
};

}  // namespace

live::State bare_node(bool host_uplink) {
    LiveWriter w;
    w.s.namespaces.push_back(live::Netns{"", false, {}});
    w.lo("", true);
    if (host_uplink) w.uplink();
    w.s.ip_forward = false;
    return w.s;
}

live::State converged(const ir::NodeIr& ir, LiveOptions options) {
    LiveWriter w;
    w.s = bare_node(options.host_uplink);
    for (const auto& n : ir.namespaces) {
        w.s.namespaces.push_back(live::Netns{n.name, true, {}});
        w.lo(n.name, options.pod_lo_up);
    }
    for (const auto& l : ir.links) {
        live::Link& x = w.link(l.netns, l.name, std::string(l.kind));
        x.peer_netns = l.peer_netns;
        x.peer_name = l.peer_name;
        x.master = l.master;
        if (l.mac) x.mac = l.mac;
        if (l.mtu != 0) x.mtu = l.mtu;
        x.flags = l.up() ? kUpRunning : 0;
        x.operstate = l.up() ? 6 : 2;
        x.group = kOwnedLinkGroup;
        if (l.proxy_arp) x.proxy_arp = l.proxy_arp;
        if (l.forwarding) x.forwarding = l.forwarding;
        if (l.proxy_delay_ms) x.proxy_delay_ms = l.proxy_delay_ms;
    }
    for (const auto& a : ir.addresses) {
        const live::Link* dev = find_link(w.s, a.netns, a.dev);
        w.address(a.netns, a.dev, a.local, kOwnedProtocol, dev != nullptr && dev->up());
    }
    for (const auto& r : ir.routes) {
        live::Route x;
        x.netns = r.netns;
        x.dst = r.dst;
        x.gateway = r.gateway;
        x.dev = r.dev;
        x.scope = static_cast<std::uint8_t>(r.scope);
        x.protocol = kOwnedProtocol;
        x.flags = r.onlink() ? 4 : 0;
        x.prefsrc = r.prefsrc;
        w.s.routes.push_back(x);
    }
    for (const auto& n : ir.neighbors) {
        live::Neighbor x;
        x.netns = n.netns;
        x.dev = n.dev;
        x.dst = n.dst;
        x.lladdr = n.lladdr;
        x.state = 0x80;
        x.protocol = kOwnedProtocol;
        w.s.neighbors.push_back(x);
    }
    if (options.with_record) w.s.last_applied = plan::applied_record(ir);
    return w.s;
}

live::Address loopback_address(const std::string& netns, std::string_view local, std::uint8_t scope,
                               std::uint8_t protocol) {
    live::Address a;
    a.netns = netns;
    a.dev = "lo";
    a.local = prefix(local);
    a.scope = scope;
    a.flags = 0x80;
    a.protocol = protocol;
    return a;
}

void set_loopback(live::State& s, const std::string& netns, bool up, const std::vector<live::Address>& addresses) {
    live::Link* lo = find_link(s, netns, "lo");
    lo->flags = up ? (lo->flags | kUpRunning) : (lo->flags & ~kUpRunning);
    lo->operstate = up ? 0 : 2;  // IF_OPER_UNKNOWN / IF_OPER_DOWN
    std::erase_if(s.addresses, [&](const live::Address& a) { return a.netns == netns && a.dev == "lo"; });
    std::erase_if(s.routes, [&](const live::Route& r) { return r.netns == netns && r.dev == "lo"; });
    for (const live::Address& a : addresses) s.addresses.push_back(a);
}

const live::Link* find_link(const live::State& s, std::string_view netns, std::string_view name) {
    for (const auto& l : s.links) {
        if (l.netns == netns && l.name == name) return &l;
    }
    return nullptr;
}

live::Link* find_link(live::State& s, std::string_view netns, std::string_view name) {
    for (auto& l : s.links) {
        if (l.netns == netns && l.name == name) return &l;
    }
    return nullptr;
}

std::string step_line(const plan::Step& step) {
    const std::string kind(plan::step_kind_name(step.kind()));
    return plan::visit_object(
        [&](const auto& o) -> std::string {
            using T = std::decay_t<decltype(o)>;
            if constexpr (std::is_same_v<T, plan::NetnsSpec>) {
                const bool lo_down = step.kind() == plan::StepKind::create_netns && !o.lo_up;
                return kind + " " + o.name + (lo_down ? " (lo down)" : "");
            }
            if constexpr (std::is_same_v<T, plan::LinkCreate>) return kind + " " + kernel::qualified(o.end.netns, o.end.name);
            if constexpr (std::is_same_v<T, plan::LinkChange>) return kind + " " + kernel::qualified(o.netns, o.name);
            if constexpr (std::is_same_v<T, plan::LinkDelete>) {
                if (o.group) return fmt::format("{} group {} in '{}'", kind, *o.group, o.netns);
                return kind + " " + kernel::qualified(o.netns, o.name);
            }
            if constexpr (std::is_same_v<T, plan::NeighParms>) return kind + " " + kernel::qualified(o.netns, o.dev);
            if constexpr (std::is_same_v<T, kernel::Address>) {
                return fmt::format("{} {} {}", kind, kernel::qualified(o.netns, o.dev), o.local.str());
            }
            if constexpr (std::is_same_v<T, kernel::Route>) {
                return o.netns.empty() ? fmt::format("{} {}", kind, o.dst.str())
                                       : fmt::format("{} {} {}", kind, o.netns, o.dst.str());
            }
            if constexpr (std::is_same_v<T, kernel::Neighbor>) {
                return fmt::format("{} {} {}", kind, kernel::qualified(o.netns, o.dev), o.dst.str());
            }
            return kind;
        },
        step);
}

std::vector<std::string> step_lines(const plan::Plan& plan) {
    std::vector<std::string> out;
    for (const auto& op : plan.ops) out.push_back(step_line(op.step));
    return out;
}

std::string plan_listing(const plan::Plan& plan) {
    std::string out;
    for (const auto& op : plan.ops) {
        out += fmt::format("{} [{}] {}\n", step_line(op.step), plan::reason_name(op.reason), op.detail);
    }
    for (const auto& c : plan.conflicts) {
        out += "conflict: " + c.message + "\n";
        for (const auto& note : c.notes) out += "  note: " + note + "\n";
    }
    return out;
}

}  // namespace podnetc::test
