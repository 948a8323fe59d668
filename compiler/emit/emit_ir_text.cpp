// `compile --emit ir`: the lowered IR as text a reviewer can read and diff. The model
// reads like the .pnet language, the kernel objects like iproute2, one object per
// line, grouped by namespace. No source locations: a .pnet file and its TOML twin
// must give identical bytes.
#include <iterator>
#include <map>

#include <fmt/format.h>

#include "compiler/emit/emit.hpp"
#include "compiler/base/text_format.hpp"
#include "compiler/emit/emit_common.hpp"

namespace podnetc {
namespace {

using Out = std::back_insert_iterator<std::string>;

// Who an object is for, when the namespace does not already say it: a host object of
// a pod (its host veth, its /32 route) names the pod; an object in a pod namespace
// that belongs to no pod says so.
void append_owner(Out out, const std::string& pod, const std::string& netns) {
    if (pod == netns) return;
    fmt::format_to(out, " pod {}", pod.empty() ? "\"\"" : pod);
}

void append_network(Out out, const ir::Network& net) {
    fmt::format_to(out, "network {} mode {} subnet {}", net.name, ir::mode_name(net.mode), net.subnet.str());
    if (net.gateway) fmt::format_to(out, " gateway {}", net.gateway->str());
    if (!net.bridge.empty()) fmt::format_to(out, " bridge {}", net.bridge);
    if (net.mtu != 0) fmt::format_to(out, " mtu {}", net.mtu);
    if (net.max_pairs != 0) fmt::format_to(out, " max-pairs {}", net.max_pairs);
    if (net.adopt) fmt::format_to(out, " adopt");
    fmt::format_to(out, "\n");
}

void append_attachment(Out out, const ir::Attachment& at, const std::map<std::string_view, ir::Mode>& modes) {
    fmt::format_to(out, "  ");
    if (!at.ifname.empty()) fmt::format_to(out, "{} ", at.ifname);
    fmt::format_to(out, "on {}", at.network);
    const auto net = modes.find(at.network);
    if (net == modes.end() || net->second != at.mode) fmt::format_to(out, " mode {}", ir::mode_name(at.mode));
    for (const ip::Prefix& address : at.addresses) fmt::format_to(out, " address {}", address.str());
    if (!at.host_veth.empty()) fmt::format_to(out, " host-veth {}", at.host_veth);
    if (at.mac) fmt::format_to(out, " mac {}", at.mac->str());
    if (at.host_mac) fmt::format_to(out, " host-mac {}", at.host_mac->str());
    if (at.mtu != 0) fmt::format_to(out, " mtu {}", at.mtu);
    if (at.default_route) fmt::format_to(out, " default-route");
    fmt::format_to(out, "\n");
}

void append_link(Out out, const ir::Link& link) {
    fmt::format_to(out, "  link {} {}", link.name, link.kind);
    if (link.kind == kernel::kVeth) {
        fmt::format_to(out, " peer {}/{}", emit::netns_display_name(link.peer_netns), link.peer_name);
        if (link.primary) fmt::format_to(out, " primary");
    }
    if (!link.master.empty()) fmt::format_to(out, " master {}", link.master);
    if (link.mac) fmt::format_to(out, " mac {}", link.mac->str());
    if (link.mtu != 0) fmt::format_to(out, " mtu {}", link.mtu);
    fmt::format_to(out, " {}", link.up() ? "up" : "down");
    if (link.proxy_arp) fmt::format_to(out, " proxy_arp {}", emit::on_off(*link.proxy_arp));
    if (link.forwarding) fmt::format_to(out, " forwarding {}", emit::on_off(*link.forwarding));
    if (link.proxy_delay_ms) fmt::format_to(out, " proxy_delay {}", *link.proxy_delay_ms);
    if (link.adopt) fmt::format_to(out, " adopt");
    append_owner(out, link.pod, link.netns);
    if (!link.network.empty()) fmt::format_to(out, " network {}", link.network);
    fmt::format_to(out, "\n");
}

void append_address(Out out, const ir::Address& address) {
    fmt::format_to(out, "  address {} dev {}", address.local.str(), address.dev);
    if (address.adopt) fmt::format_to(out, " adopt");
    append_owner(out, address.pod, address.netns);
    fmt::format_to(out, "\n");
}

void append_neighbor(Out out, const ir::Neighbor& neighbor) {
    fmt::format_to(out, "  neighbor {} lladdr {} dev {} permanent", neighbor.dst.str(), neighbor.lladdr->str(),
                   neighbor.dev);
    if (neighbor.adopt) fmt::format_to(out, " adopt");
    append_owner(out, neighbor.pod, neighbor.netns);
    fmt::format_to(out, "\n");
}

void append_route(Out out, const ir::Route& route) {
    fmt::format_to(out, "  route {}", emit::route_destination(route.dst));
    if (route.gateway) fmt::format_to(out, " via {}", route.gateway->str());
    fmt::format_to(out, " dev {}", route.dev);
    if (route.scope != kernel::kScopeUniverse) fmt::format_to(out, " scope {}", kernel::route_scope_name(route.scope));
    if (route.onlink()) fmt::format_to(out, " onlink");
    if (route.prefsrc) fmt::format_to(out, " src {}", route.prefsrc->str());
    if (route.adopt) fmt::format_to(out, " adopt");
    if (!route.remote_node.empty()) fmt::format_to(out, " pods-of {}", route.remote_node);
    append_owner(out, route.pod, route.netns);
    fmt::format_to(out, "\n");
}

// Prints every object of `groups` that lives in `netns`, in IR order.
template <typename T, typename Append>
void append_in(Out out, const emit::Groups<T>& groups, const std::string& netns, Append append) {
    for (const T* object : emit::group_of(groups, netns)) append(out, *object);
}

}  // namespace

std::string emit_ir_text(const ir::NodeIr& node) {
    std::string text;
    Out out{text};
    if (node.node.empty()) {
        fmt::format_to(out, "# podnetc IR, single-node file\n");
    } else {
        fmt::format_to(out, "# podnetc IR, node {}\n", node.node);
    }
    fmt::format_to(out, "# {}, {}; {}, {}, {}, {}, {}\n", count_of(node.networks.size(), "network", "networks"),
                   count_of(node.pods.size(), "pod", "pods"),
                   count_of(node.namespaces.size(), "namespace", "namespaces"),
                   count_of(node.links.size(), "link", "links"),
                   count_of(node.addresses.size(), "address", "addresses"),
                   count_of(node.routes.size(), "route", "routes"),
                   count_of(node.neighbors.size(), "neighbor", "neighbors"));

    fmt::format_to(out, "\n# model\n");
    std::map<std::string_view, ir::Mode> modes;
    for (const ir::Network& net : node.networks) {
        modes.emplace(net.name, net.mode);
        append_network(out, net);
    }
    if (node.underlay) {
        fmt::format_to(out, "underlay {} dev {}\n", node.underlay->address.str(), node.underlay->dev);
    }
    for (const ir::Pod& pod : node.pods) {
        fmt::format_to(out, "pod {}{}\n", pod.name, pod.adopt ? " adopt" : "");
        for (const ir::Attachment& at : pod.attachments) append_attachment(out, at, modes);
    }

    fmt::format_to(out, "\n# kernel objects\n");
    std::map<std::string_view, const ir::Namespace*> declared;
    for (const ir::Namespace& ns : node.namespaces) declared.emplace(ns.name, &ns);
    const auto links = emit::group_by(node.links, &ir::Link::netns);
    const auto addresses = emit::group_by(node.addresses, &ir::Address::netns);
    const auto neighbors = emit::group_by(node.neighbors, &ir::Neighbor::netns);
    const auto routes = emit::group_by(node.routes, &ir::Route::netns);
    for (const std::string& netns : emit::namespaces_in_print_order(node)) {
        const auto ns = declared.find(netns);
        const bool adopt = ns != declared.end() && ns->second->adopt;
        fmt::format_to(out, "netns {}{}\n", emit::netns_display_name(netns), adopt ? " adopt" : "");
        append_in(out, links, netns, append_link);
        append_in(out, addresses, netns, append_address);
        append_in(out, neighbors, netns, append_neighbor);
        append_in(out, routes, netns, append_route);
    }
    return text;
}

}  // namespace podnetc
