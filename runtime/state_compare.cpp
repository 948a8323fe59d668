#include "runtime/state_compare.hpp"

#include <map>
#include <utility>

#include <fmt/format.h>

#include "compiler/live_names.hpp"
#include "compiler/live_state_sort.hpp"

namespace podnetc::rt {
namespace {

constexpr std::uint32_t kIffRunning = 0x40;
constexpr std::uint32_t kIffLowerUp = 0x10000;
constexpr std::uint32_t kIffDormant = 0x20000;
constexpr std::uint32_t kRtnhDead = 0x1;
constexpr std::uint32_t kRtnhLinkdown = 0x10;

std::string where(const std::string& netns) { return netns.empty() ? std::string("host") : netns; }

std::string optional_text(const std::optional<bool>& value) {
    if (!value) return "unknown";
    return *value ? "on" : "off";
}

std::string mac_text(const std::optional<Mac>& mac) { return mac ? mac->str() : std::string("none"); }

std::string flags_text(std::uint32_t flags, std::span<const live::NamedValue> names) {
    std::string text;
    for (const std::string& name : live::flags_to_names(flags, names)) text += (text.empty() ? "" : ",") + name;
    return text.empty() ? std::string("none") : text;
}

// Field-by-field differences of two links with the same name.
std::vector<std::pair<std::string, std::pair<std::string, std::string>>> link_fields(const live::Link& before,
                                                                                       const live::Link& after) {
    std::vector<std::pair<std::string, std::pair<std::string, std::string>>> fields;
    const auto field = [&](std::string name, std::string was, std::string is) {
        if (was != is) fields.push_back({std::move(name), {std::move(was), std::move(is)}});
    };
    field("ifindex", std::to_string(before.ifindex), std::to_string(after.ifindex));
    field("kind", before.kind, after.kind);
    field("peer", fmt::format("{}/{}", where(before.peer_netns), before.peer_name),
          fmt::format("{}/{}", where(after.peer_netns), after.peer_name));
    field("master", before.master, after.master);
    field("mac", mac_text(before.mac), mac_text(after.mac));
    field("mtu", std::to_string(before.mtu), std::to_string(after.mtu));
    field("flags", flags_text(before.flags, live::link_flag_names()), flags_text(after.flags, live::link_flag_names()));
    field("alias", before.alias, after.alias);
    field("group", std::to_string(before.group), std::to_string(after.group));
    field("proxy_arp", optional_text(before.proxy_arp), optional_text(after.proxy_arp));
    field("forwarding", optional_text(before.forwarding), optional_text(after.forwarding));
    field("proxy_delay", before.proxy_delay_ms ? fmt::format("{}ms", *before.proxy_delay_ms) : "unknown",
          after.proxy_delay_ms ? fmt::format("{}ms", *after.proxy_delay_ms) : "unknown");
    const auto port_text = [](const std::optional<live::BridgePort>& port) {
        if (!port) return std::string("none");
        return fmt::format("hairpin {} learning {} flood {} isolated {}", port->hairpin ? "on" : "off",
                           port->learning ? "on" : "off", port->unicast_flood ? "on" : "off",
                           port->isolated ? "on" : "off");
    };
    field("bridge port", port_text(before.bridge_port), port_text(after.bridge_port));
    return fields;
}

std::string address_text(const live::Address& a) {
    std::string text = fmt::format("address {} dev {}", a.local.str(), a.dev);
    if (a.peer) text += " peer " + a.peer->str();
    text += fmt::format(" scope {} proto {}", a.scope, a.protocol);
    if (a.flags != 0) text += " flags " + flags_text(a.flags, live::address_flag_names());
    return text;
}

std::string route_text(const live::Route& r) {
    std::string text = fmt::format("route {}", r.dst.str());
    if (r.table != 254) text += fmt::format(" table {}", r.table);
    if (r.type != 1) text += fmt::format(" type {}", r.type);
    if (r.gateway) text += " via " + r.gateway->str();
    if (!r.dev.empty()) text += " dev " + r.dev;
    text += fmt::format(" scope {} proto {}", r.scope, r.protocol);
    if (r.flags != 0) text += " flags " + flags_text(r.flags, live::route_flag_names());
    if (r.prefsrc) text += " src " + r.prefsrc->str();
    if (r.metric != 0) text += fmt::format(" metric {}", r.metric);
    for (const live::Nexthop& hop : r.nexthops) {
        text += " nexthop";
        if (hop.gateway) text += " via " + hop.gateway->str();
        if (!hop.dev.empty()) text += " dev " + hop.dev;
        text += fmt::format(" weight {} flags {}", hop.weight, flags_text(hop.flags, live::route_flag_names()));
    }
    return text;
}

std::string neighbor_text(const live::Neighbor& n) {
    return fmt::format("neighbor {} dev {} lladdr {} state {} flags {} proto {}", n.dst.str(), n.dev,
                       mac_text(n.lladdr), flags_text(n.state, live::neighbor_state_names()),
                       flags_text(n.flags, live::neighbor_flag_names()), n.protocol);
}

// Objects of one kind by identity; the text says everything that is compared.
using Objects = std::multimap<std::string, std::string>;

void compare_objects(const Objects& before, const Objects& after, std::vector<std::string>& out) {
    for (auto it = before.begin(); it != before.end(); it = before.upper_bound(it->first)) {
        const auto [b_first, b_last] = before.equal_range(it->first);
        const auto [a_first, a_last] = after.equal_range(it->first);
        if (std::distance(b_first, b_last) == 1 && std::distance(a_first, a_last) == 1) {
            if (b_first->second != a_first->second) {
                out.push_back(fmt::format("{} in {}: now \"{}\"", b_first->second,
                                          it->first.substr(0, it->first.find(' ')), a_first->second));
            }
            continue;
        }
        for (auto b = b_first; b != b_last; ++b) {
            bool found = false;
            for (auto a = a_first; a != a_last && !found; ++a) found = a->second == b->second;
            if (!found) out.push_back(fmt::format("{} in {}: missing", b->second, b->first.substr(0, b->first.find(' '))));
        }
        for (auto a = a_first; a != a_last; ++a) {
            bool found = false;
            for (auto b = b_first; b != b_last && !found; ++b) found = a->second == b->second;
            if (!found) {
                out.push_back(fmt::format("{} in {}: left over", a->second, a->first.substr(0, a->first.find(' '))));
            }
        }
    }
    for (auto it = after.begin(); it != after.end(); it = after.upper_bound(it->first)) {
        if (before.count(it->first) != 0) continue;
        const auto [a_first, a_last] = after.equal_range(it->first);
        for (auto a = a_first; a != a_last; ++a) {
            out.push_back(fmt::format("{} in {}: left over", a->second, a->first.substr(0, a->first.find(' '))));
        }
    }
}

// Keys start with the namespace label and a space, so that messages can name it.
template <class Object, class Key, class Text>
Objects objects_of(const std::vector<Object>& list, Key key, Text text) {
    Objects objects;
    for (const Object& object : list) objects.emplace(where(object.netns) + " " + key(object), text(object));
    return objects;
}

}  // namespace

live::State comparable(live::State state) {
    state.last_applied.reset();
    for (live::Link& link : state.links) {
        link.flags &= ~(kIffRunning | kIffLowerUp | kIffDormant);
        link.operstate = 0;
        if (link.bridge_port) link.bridge_port->state = live::BridgePort{}.state;
    }
    for (live::Address& address : state.addresses) address.ifindex = 0;
    for (live::Route& route : state.routes) {
        route.flags &= ~(kRtnhDead | kRtnhLinkdown);
        for (live::Nexthop& hop : route.nexthops) hop.flags &= ~(kRtnhDead | kRtnhLinkdown);
    }
    live::sort_state(state);
    return state;
}

std::vector<std::string> state_differences(const live::State& before_raw, const live::State& after_raw) {
    const live::State before = comparable(before_raw);
    const live::State after = comparable(after_raw);
    std::vector<std::string> out;
    if (before == after) return out;

    if (before.ip_forward != after.ip_forward) {
        out.push_back(fmt::format("net.ipv4.ip_forward in host: is {}, was {}", optional_text(after.ip_forward),
                                  optional_text(before.ip_forward)));
    }
    std::map<std::string, const live::Netns*> namespaces_before;
    for (const live::Netns& ns : before.namespaces) namespaces_before[ns.name] = &ns;
    for (const live::Netns& ns : after.namespaces) {
        const auto it = namespaces_before.find(ns.name);
        if (it == namespaces_before.end()) {
            out.push_back(fmt::format("namespace {}: left over", ns.name));
            continue;
        }
        if (it->second->owned != ns.owned) {
            out.push_back(fmt::format("namespace {}: {}", ns.name,
                                      ns.owned ? "registered as podnetc's, was not" : "no longer registered as podnetc's"));
        }
        if (it->second->unreadable != ns.unreadable) {
            out.push_back(fmt::format("namespace {}: {}", ns.name,
                                      ns.unreadable.empty() ? std::string("readable again")
                                                            : fmt::format("cannot be read ({})", ns.unreadable)));
        }
        namespaces_before.erase(it);
    }
    for (const auto& [name, ns] : namespaces_before) out.push_back(fmt::format("namespace {}: missing", name));

    // Links: field by field when a link of the same name exists on both sides.
    std::map<std::pair<std::string, std::string>, const live::Link*> links_before;
    for (const live::Link& link : before.links) links_before[{link.netns, link.name}] = &link;
    for (const live::Link& link : after.links) {
        const auto it = links_before.find({link.netns, link.name});
        if (it == links_before.end()) {
            out.push_back(fmt::format("link {} in {}: left over", link.name, where(link.netns)));
            continue;
        }
        for (const auto& [field, values] : link_fields(*it->second, link)) {
            out.push_back(fmt::format("link {} in {}: {} is {}, was {}", link.name, where(link.netns), field,
                                      values.second.empty() ? "none" : values.second,
                                      values.first.empty() ? "none" : values.first));
        }
        links_before.erase(it);
    }
    for (const auto& [key, link] : links_before) {
        out.push_back(fmt::format("link {} in {}: missing", key.second, where(key.first)));
    }

    const auto address_key = [](const live::Address& a) { return fmt::format("{} {}", a.dev, a.local.str()); };
    compare_objects(objects_of(before.addresses, address_key, address_text),
                    objects_of(after.addresses, address_key, address_text), out);
    const auto route_key = [](const live::Route& r) {
        return fmt::format("table {} {} metric {}", r.table, r.dst.str(), r.metric);
    };
    compare_objects(objects_of(before.routes, route_key, route_text), objects_of(after.routes, route_key, route_text),
                    out);
    const auto neighbor_key = [](const live::Neighbor& n) { return fmt::format("{} {}", n.dev, n.dst.str()); };
    compare_objects(objects_of(before.neighbors, neighbor_key, neighbor_text),
                    objects_of(after.neighbors, neighbor_key, neighbor_text), out);
    return out;
}

}  // namespace podnetc::rt
