#include "compiler/steps/plan_describe.hpp"

#include <fmt/format.h>

#include "compiler/objects/object_keys.hpp"
#include "compiler/objects/ownership.hpp"
#include "compiler/steps/plan_specs.hpp"

namespace podnetc::plan {

std::string on_off(bool value) { return value ? "on" : "off"; }

std::string on_off(const std::optional<bool>& value) { return value ? on_off(*value) : "?"; }

std::string protocol_name(std::uint8_t protocol) {
    switch (protocol) {
        case 0: return "unspec";
        case 1: return "redirect";
        case 2: return "kernel";
        case 3: return "boot";
        case 4: return "static";
        case kOwnedProtocol: return "podnetc";
        default: return fmt::format("{}", protocol);
    }
}

std::string scope_name(std::uint8_t scope) {
    switch (scope) {
        case kScopeUniverse: return "global";
        case kScopeLink: return "link";
        case kScopeHost: return "host";
        default: return fmt::format("{}", scope);
    }
}

std::string dst_text(const ip::Prefix& dst) {
    return dst.is_default() ? "default" : dst.str();
}

namespace {

std::string route_type_prefix(std::uint8_t type) {
    switch (type) {
        case kRouteUnicast: return "";
        case 2: return "local ";
        case 3: return "broadcast ";
        case 6: return "blackhole ";
        case 7: return "unreachable ";
        case 8: return "prohibit ";
        default: return fmt::format("type {} ", type);
    }
}

}  // namespace

std::string describe(const kernel::Route& r) {
    std::string out = route_type_prefix(r.type) + dst_text(r.dst);
    if (r.gateway) out += " via " + r.gateway->str();
    if (!r.dev.empty()) out += " dev " + qualified(r.netns, r.dev);
    if (r.scope != kScopeUniverse) out += " scope " + scope_name(r.scope);
    if (r.onlink()) out += " onlink";
    if (r.prefsrc) out += " src " + r.prefsrc->str();
    if (r.metric != 0) out += fmt::format(" metric {}", r.metric);
    if (r.table != kMainTable) out += fmt::format(" table {}", r.table);
    if (r.dev.empty() && !r.netns.empty()) out += " in " + r.netns;
    return out;
}

std::string describe(const kernel::Address& a) {
    std::string out = a.local.str();
    if (a.peer) out += " peer " + a.peer->str();
    out += " dev " + qualified(a.netns, a.dev);
    if (a.scope != kScopeUniverse) out += " scope " + scope_name(a.scope);
    return out;
}

std::string describe(const kernel::Neighbor& n) {
    std::string out = n.dst.str();
    if (n.lladdr) out += " lladdr " + n.lladdr->str();
    out += " dev " + qualified(n.netns, n.dev);
    return out;
}

std::string describe(const LinkCreate& c) {
    std::string out = fmt::format("{} {}", qualified(c.end.netns, c.end.name), c.kind);
    if (c.peer) out += " peer " + qualified(c.peer->netns, c.peer->name);
    if (!c.master.empty()) out += " master " + c.master;
    if (c.end.mac) out += " mac " + c.end.mac->str();
    if (c.end.mtu != 0) out += fmt::format(" mtu {}", c.end.mtu);
    if (c.peer && c.peer->mac) out += " peer-mac " + c.peer->mac->str();
    if (c.peer && c.peer->mtu != 0 && c.peer->mtu != c.end.mtu) out += fmt::format(" peer-mtu {}", c.peer->mtu);
    if (c.up) out += " up";
    return out;
}

std::string describe_settings(const LinkChange& c) {
    std::vector<std::string> parts;
    if (c.up) parts.push_back(*c.up ? "up" : "down");
    if (c.mtu) parts.push_back(fmt::format("mtu {}", *c.mtu));
    if (c.mac) parts.push_back("mac " + c.mac->str());
    if (c.master) parts.push_back(c.master->empty() ? "nomaster" : "master " + *c.master);
    if (c.group) parts.push_back(fmt::format("group {}", *c.group));
    if (c.proxy_arp) parts.push_back("proxy_arp " + on_off(*c.proxy_arp));
    if (c.forwarding) parts.push_back("forwarding " + on_off(*c.forwarding));
    return fmt::format("{}", fmt::join(parts, ", "));
}

std::string describe_found(const live::Link& l) {
    std::string out = fmt::format("{} {}", l.kind.empty() ? "device" : l.kind, qualified(l.netns, l.name));
    if (!l.peer_name.empty()) out += " peer " + qualified(l.peer_netns == "?" ? "(unnamed)" : l.peer_netns, l.peer_name);
    if (!l.master.empty()) out += " master " + l.master;
    out += l.up() ? ", up" : ", down";
    out += fmt::format(", mtu {}, group {}", l.mtu, l.group);
    return out;
}

std::string describe_found(const live::Address& a) {
    return fmt::format("address {} proto {}", describe(request(a)), protocol_name(a.protocol));
}

std::string describe_found(const live::Route& r) {
    return fmt::format("route {} proto {}", describe(request(r)), protocol_name(r.protocol));
}

std::string describe_found(const live::Neighbor& n) {
    return fmt::format("neighbor {} proto {}", describe(request(n)), protocol_name(n.protocol));
}

std::string describe_action(const Step& s) {
    switch (s.kind()) {
        case StepKind::create_netns: {
            const auto& n = plan::object_of<NetnsSpec>(s);
            return "create namespace " + n.name + (n.lo_up ? "" : " (lo left down)");
        }
        case StepKind::delete_netns: return "delete namespace " + plan::object_of<NetnsSpec>(s).name;
        case StepKind::register_netns: return "adopt namespace " + plan::object_of<NetnsSpec>(s).name;
        case StepKind::unregister_netns: return "forget namespace " + plan::object_of<NetnsSpec>(s).name;
        case StepKind::create_link: return "create link " + describe(plan::object_of<LinkCreate>(s));
        case StepKind::change_link: {
            const auto& c = plan::object_of<LinkChange>(s);
            const std::string name = qualified(c.netns, c.name);
            if (c.up && !*c.up) return fmt::format("take link {} down", name);
            if (c.mac) return fmt::format("change the MAC of link {}", name);
            return fmt::format("change link {} ({})", name, describe_settings(c));
        }
        case StepKind::delete_link: {
            const auto& d = plan::object_of<LinkDelete>(s);
            if (d.group) {
                return fmt::format("delete every link of group {} in {}", *d.group,
                                   d.netns.empty() ? "the host namespace" : "namespace " + d.netns);
            }
            return "delete link " + qualified(d.netns, d.name);
        }
        case StepKind::set_neigh_parms: {
            const auto& p = plan::object_of<NeighParms>(s);
            return fmt::format("set proxy_delay {} on link {}", p.proxy_delay_ms, qualified(p.netns, p.dev));
        }
        case StepKind::add_address: return "add address " + describe(plan::object_of<kernel::Address>(s));
        case StepKind::replace_address: return "replace address " + describe(plan::object_of<kernel::Address>(s));
        case StepKind::delete_address: return "delete address " + describe(plan::object_of<kernel::Address>(s));
        case StepKind::add_route: return "add route " + describe(plan::object_of<kernel::Route>(s));
        case StepKind::replace_route: return "replace route " + describe(plan::object_of<kernel::Route>(s));
        case StepKind::delete_route: return "delete route " + describe(plan::object_of<kernel::Route>(s));
        case StepKind::add_neighbor: return "add neighbor " + describe(plan::object_of<kernel::Neighbor>(s));
        case StepKind::replace_neighbor: return "replace neighbor " + describe(plan::object_of<kernel::Neighbor>(s));
        case StepKind::delete_neighbor: return "delete neighbor " + describe(plan::object_of<kernel::Neighbor>(s));
    }
    return "";
}

std::string canonical(const ir::Namespace& netns) { return record_key_netns(netns.name); }

std::string canonical(const ir::Link& l) {
    std::string out = fmt::format("link {} {}", qualified(l.netns, l.name), l.kind);
    if (l.kind == kernel::kVeth) out += " peer " + qualified(l.peer_netns, l.peer_name);
    if (!l.master.empty()) out += " master " + l.master;
    if (l.mac) out += " mac " + l.mac->str();
    if (l.mtu != 0) out += fmt::format(" mtu {}", l.mtu);
    out += l.up() ? " up" : " down";
    if (l.proxy_arp) out += " proxy_arp " + on_off(*l.proxy_arp);
    if (l.forwarding) out += " forwarding " + on_off(*l.forwarding);
    if (l.proxy_delay_ms) out += fmt::format(" proxy_delay {}", *l.proxy_delay_ms);
    return out;
}

std::string canonical(const ir::Address& a) { return "address " + describe(a.object()); }
std::string canonical(const ir::Route& r) { return "route " + describe(r.object()); }
std::string canonical(const ir::Neighbor& n) { return "neighbor " + describe(n.object()); }

}  // namespace podnetc::plan
