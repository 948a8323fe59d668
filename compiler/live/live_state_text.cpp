#include "compiler/live/live_state_text.hpp"

#include <fmt/format.h>

#include "compiler/live/kernel_made.hpp"
#include "compiler/objects/kernel_values.hpp"
#include "compiler/objects/kernel_names.hpp"
#include "compiler/live/live_state_sort.hpp"
#include "compiler/base/terminal_style.hpp"
#include "compiler/base/text_format.hpp"
#include "compiler/objects/ownership.hpp"

namespace podnetc::live {

using namespace podnetc::kernel;  // the names of the kernel's numbers
namespace {

using namespace podnetc::kernel;

struct Marks {
    bool color;
    std::string operator()(bool owned) const {
        return owned ? style::paint("[owned]", style::green, color) : style::paint("[foreign]", style::yellow, color);
    }
    std::string heading(const std::string& text) const { return style::paint(text, style::bold, color); }
};

std::string peer_text(const Link& link) {
    if (link.peer_netns == link.netns) return link.peer_name;
    if (link.peer_name.empty()) return link.peer_netns;
    return fmt::format("{}/{}", netns_label(link.peer_netns), link.peer_name);
}

std::string link_line(const Link& link) {
    std::string line = fmt::format("link {}", link.name);
    if (!link.kind.empty()) line += " " + link.kind;
    if (!link.peer_netns.empty() || !link.peer_name.empty()) line += " peer " + peer_text(link);
    if (!link.master.empty()) line += " master " + link.master;
    line += link.up() ? " up" : " down";
    if (link.up() && (link.flags & kIffLowerUp) == 0) line += " no-carrier";
    if (link.mtu != 0 && link.mtu != kDefaultMtu) line += fmt::format(" mtu {}", link.mtu);
    if (link.mac && (link.flags & kIffLoopback) == 0) line += " mac " + link.mac->str();
    if (!link.alias.empty()) line += fmt::format(" alias \"{}\"", link.alias);
    if (link.group != 0 && link.group != kOwnedLinkGroup) line += fmt::format(" group {}", link.group);
    if (link.proxy_arp.value_or(false)) line += " proxy_arp";
    if (link.forwarding.value_or(false)) line += " forwarding";
    if (link.proxy_delay_ms && *link.proxy_delay_ms != kDefaultProxyDelayMs) {
        line += fmt::format(" proxy_delay {}ms", *link.proxy_delay_ms);
    }
    if (link.bridge_port) {
        const BridgePort& port = *link.bridge_port;
        if (port.state != BridgePort{}.state) line += " port-state " + value_text(port.state, bridge_port_state_names());
        if (port.hairpin) line += " hairpin";
        if (!port.learning) line += " learning off";
        if (!port.unicast_flood) line += " flood off";
        if (port.isolated) line += " isolated";
    }
    return line;
}

std::string address_line(const Address& address) {
    std::string line = fmt::format("address {} dev {}", address.local.str(), address.dev);
    if (address.peer) line += " peer " + address.peer->str();
    if (address.scope != 0) line += " scope " + value_text(address.scope, scope_names());
    // IPv4 addresses are always "permanent": the word would only add noise.
    for (const std::string& flag : flags_to_names(address.flags & ~0x80u, address_flag_names())) line += " " + flag;
    if (!is_owned(address) && address.protocol != 0) {
        line += " proto " + value_text(address.protocol, address_protocol_names());
    }
    return line;
}

std::string route_line(const Route& route) {
    std::string line = "route ";
    line += route.dst.is_default() ? std::string("default") : route.dst.str();
    if (route.table != 254) line += " table " + value_text(route.table, route_table_names());
    if (route.type != 1) line += " type " + value_text(route.type, route_type_names());
    if (route.gateway) line += " via " + route.gateway->str();
    if (!route.dev.empty()) line += " dev " + route.dev;
    if (route.scope != 0) line += " scope " + value_text(route.scope, scope_names());
    if (!is_owned(route) && route.protocol != 0) line += " proto " + value_text(route.protocol, route_protocol_names());
    for (const std::string& flag : flags_to_names(route.flags, route_flag_names())) line += " " + flag;
    if (route.prefsrc) line += " src " + route.prefsrc->str();
    if (route.metric != 0) line += fmt::format(" metric {}", route.metric);
    for (const Nexthop& hop : route.nexthops) {
        line += " nexthop";
        if (hop.gateway) line += " via " + hop.gateway->str();
        if (!hop.dev.empty()) line += " dev " + hop.dev;
        if (hop.weight != 1) line += fmt::format(" weight {}", hop.weight);
        if ((hop.flags & kOnlink) != 0) line += " onlink";
    }
    return line;
}

std::string neighbor_line(const Neighbor& neighbor) {
    std::string line = fmt::format("neighbor {} dev {}", neighbor.dst.str(), neighbor.dev);
    if (neighbor.lladdr) line += " lladdr " + neighbor.lladdr->str();
    if (neighbor.state != kNudPermanent) {
        for (const std::string& s : flags_to_names(neighbor.state, neighbor_state_names())) line += " " + s;
    }
    for (const std::string& flag : flags_to_names(neighbor.flags, neighbor_flag_names())) line += " " + flag;
    if (!is_owned(neighbor) && neighbor.protocol != 0) {
        line += " proto " + value_text(neighbor.protocol, route_protocol_names());
    }
    return line;
}

}  // namespace

std::string netns_label(const std::string& netns) { return netns.empty() ? std::string("host") : netns; }

std::string to_text(const State& input, const TextOptions& options) {
    State state = input;
    sort_state(state);
    const Marks mark{options.color};
    std::size_t hidden = 0;
    std::string out;
    for (const Netns& netns : state.namespaces) {
        if (!out.empty()) out += '\n';
        std::string heading = netns.name.empty() ? std::string("host namespace")
                                                 : fmt::format("namespace {}", netns.name);
        out += mark.heading(heading);
        if (!netns.name.empty()) out += "  " + mark(is_owned(netns));
        if (!netns.unreadable.empty()) out += fmt::format("  (not read: {})", netns.unreadable);
        out += '\n';
        if (netns.name.empty() && state.ip_forward) out += fmt::format("  ip_forward {}\n", *state.ip_forward ? "on" : "off");
        auto emit = [&](const std::string& line, bool owned) { out += fmt::format("  {}  {}\n", line, mark(owned)); };
        for (const Link& link : state.links) {
            if (link.netns == netns.name) emit(link_line(link), is_owned(link));
        }
        for (const Address& address : state.addresses) {
            if (address.netns != netns.name) continue;
            if (!options.all && kernel_made(address)) {
                ++hidden;
                continue;
            }
            emit(address_line(address), is_owned(address));
        }
        for (const Route& route : state.routes) {
            if (route.netns != netns.name) continue;
            if (!options.all && kernel_made(route)) {
                ++hidden;
                continue;
            }
            emit(route_line(route), is_owned(route));
        }
        for (const Neighbor& neighbor : state.neighbors) {
            if (neighbor.netns == netns.name) emit(neighbor_line(neighbor), is_owned(neighbor));
        }
    }
    if (hidden != 0) {
        out += fmt::format("\n{} not shown (prefix routes, loopback addresses); --all shows {}.\n",
                           plural(hidden, "kernel-made object"), hidden == 1 ? "it" : "them");
    }
    return out;
}

}  // namespace podnetc::live
