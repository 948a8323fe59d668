#include "runtime/apply/state_compare.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "compiler/objects/kernel_names.hpp"
#include "compiler/live/live_state_sort.hpp"
#include "compiler/objects/ownership.hpp"

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

std::string flags_text(std::uint32_t flags, std::span<const kernel::NamedValue> names) {
    std::string text;
    for (const std::string& name : kernel::flags_to_names(flags, names)) text += (text.empty() ? "" : ",") + name;
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
    field("flags", flags_text(before.flags, kernel::link_flag_names()), flags_text(after.flags, kernel::link_flag_names()));
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
    if (a.flags != 0) text += " flags " + flags_text(a.flags, kernel::address_flag_names());
    return text;
}

std::string route_text(const live::Route& r) {
    std::string text = fmt::format("route {}", r.dst.str());
    if (r.table != 254) text += fmt::format(" table {}", r.table);
    if (r.type != 1) text += fmt::format(" type {}", r.type);
    if (r.gateway) text += " via " + r.gateway->str();
    if (!r.dev.empty()) text += " dev " + r.dev;
    text += fmt::format(" scope {} proto {}", r.scope, r.protocol);
    if (r.flags != 0) text += " flags " + flags_text(r.flags, kernel::route_flag_names());
    if (r.prefsrc) text += " src " + r.prefsrc->str();
    if (r.metric != 0) text += fmt::format(" metric {}", r.metric);
    for (const live::Nexthop& hop : r.nexthops) {
        text += " nexthop";
        if (hop.gateway) text += " via " + hop.gateway->str();
        if (!hop.dev.empty()) text += " dev " + hop.dev;
        text += fmt::format(" weight {} flags {}", hop.weight, flags_text(hop.flags, kernel::route_flag_names()));
    }
    return text;
}

std::string neighbor_text(const live::Neighbor& n) {
    return fmt::format("neighbor {} dev {} lladdr {} state {} flags {} proto {}", n.dst.str(), n.dev,
                       mac_text(n.lladdr), flags_text(n.state, kernel::neighbor_state_names()),
                       flags_text(n.flags, kernel::neighbor_flag_names()), n.protocol);
}

enum class Change { missing, left_over, changed };

// One difference, with what classifies it.
struct Diff {
    std::string text;
    std::string key;    // identity: "link\x1fnetns\x1fname", …
    std::string netns;  // where the object is; for a namespace, the namespace itself
    Change change = Change::changed;
    bool owned = false;  // carries podnetc's marker before or after
};

std::string key_of(std::initializer_list<std::string_view> parts) {
    std::string key;
    for (std::string_view part : parts) {
        if (!key.empty()) key += '\x1f';
        key += part;
    }
    return key;
}

std::string link_key(const std::string& netns, const std::string& name) { return key_of({"link", netns, name}); }
std::string address_key(const std::string& netns, const std::string& dev, const ip::Prefix& local) {
    return key_of({"address", netns, dev, local.str()});
}
std::string route_key(const std::string& netns, std::uint32_t table, const ip::Prefix& dst, std::uint32_t metric) {
    return key_of({"route", netns, std::to_string(table), dst.str(), std::to_string(metric)});
}
std::string neighbor_key(const std::string& netns, const std::string& dev, ip::Address dst) {
    return key_of({"neighbor", netns, dev, dst.str()});
}

// Objects of one kind (addresses, routes, neighbours) by identity; the text says
// everything that is compared.
template <class Object, class Key, class Text>
void compare_objects(const std::vector<Object>& before, const std::vector<Object>& after, Key key, Text text,
                     std::vector<Diff>& out) {
    struct Entry {
        std::string text;
        const Object* object;
    };
    std::map<std::string, std::vector<Entry>> b;
    std::map<std::string, std::vector<Entry>> a;
    for (const Object& o : before) b[key(o)].push_back({text(o), &o});
    for (const Object& o : after) a[key(o)].push_back({text(o), &o});
    const auto diff = [&](const Entry& e, Change change, std::string line) {
        out.push_back(Diff{std::move(line), key(*e.object), e.object->netns, change, is_owned(*e.object)});
    };
    for (const auto& [k, olds] : b) {
        const auto found = a.find(k);
        const std::vector<Entry> none;
        const std::vector<Entry>& news = found == a.end() ? none : found->second;
        if (olds.size() == 1 && news.size() == 1) {
            if (olds[0].text != news[0].text) {
                diff(olds[0], Change::changed,
                     fmt::format("{} in {}: now \"{}\"", olds[0].text, where(olds[0].object->netns), news[0].text));
                out.back().owned = out.back().owned || is_owned(*news[0].object);
            }
            continue;
        }
        for (const Entry& e : olds) {
            const bool kept = std::any_of(news.begin(), news.end(), [&](const Entry& n) { return n.text == e.text; });
            if (!kept) diff(e, Change::missing, fmt::format("{} in {}: missing", e.text, where(e.object->netns)));
        }
        for (const Entry& e : news) {
            const bool old = std::any_of(olds.begin(), olds.end(), [&](const Entry& o) { return o.text == e.text; });
            if (!old) diff(e, Change::left_over, fmt::format("{} in {}: left over", e.text, where(e.object->netns)));
        }
    }
    for (const auto& [k, news] : a) {
        if (b.contains(k)) continue;
        for (const Entry& e : news) {
            diff(e, Change::left_over, fmt::format("{} in {}: left over", e.text, where(e.object->netns)));
        }
    }
}

std::vector<Diff> all_differences(const live::State& before_raw, const live::State& after_raw) {
    const live::State before = comparable(before_raw);
    const live::State after = comparable(after_raw);
    std::vector<Diff> out;
    if (before == after) return out;

    if (before.ip_forward != after.ip_forward) {
        out.push_back(Diff{fmt::format("net.ipv4.ip_forward in host: is {}, was {}", optional_text(after.ip_forward),
                                       optional_text(before.ip_forward)),
                           "ip_forward", "", Change::changed, false});
    }
    std::map<std::string, const live::Netns*> namespaces_before;
    for (const live::Netns& ns : before.namespaces) namespaces_before[ns.name] = &ns;
    for (const live::Netns& ns : after.namespaces) {
        const std::string key = key_of({"netns", ns.name});
        const auto it = namespaces_before.find(ns.name);
        if (it == namespaces_before.end()) {
            out.push_back(Diff{fmt::format("namespace {}: left over", ns.name), key, ns.name, Change::left_over, ns.owned});
            continue;
        }
        const bool owned = ns.owned || it->second->owned;
        if (it->second->owned != ns.owned) {
            out.push_back(Diff{fmt::format("namespace {}: {}", ns.name,
                                           ns.owned ? "registered as podnetc's, was not"
                                                    : "no longer registered as podnetc's"),
                               key, ns.name, Change::changed, owned});
        }
        if (it->second->unreadable != ns.unreadable) {
            out.push_back(Diff{fmt::format("namespace {}: {}", ns.name,
                                           ns.unreadable.empty() ? std::string("readable again")
                                                                 : fmt::format("cannot be read ({})", ns.unreadable)),
                               key, ns.name, Change::changed, owned});
        }
        namespaces_before.erase(it);
    }
    for (const auto& [name, ns] : namespaces_before) {
        out.push_back(Diff{fmt::format("namespace {}: missing", name), key_of({"netns", name}), name, Change::missing,
                           ns->owned});
    }

    // Nothing is said about the contents of a namespace that is missing or left
    // over as a whole: the namespace is the difference.
    std::set<std::string> whole;
    for (const Diff& d : out) {
        if (d.key.starts_with("netns\x1f") && d.change != Change::changed) whole.insert(d.netns);
    }
    const std::size_t namespaces_end = out.size();

    // Links: field by field when a link of the same name exists on both sides.
    std::map<std::pair<std::string, std::string>, const live::Link*> links_before;
    for (const live::Link& link : before.links) links_before[{link.netns, link.name}] = &link;
    for (const live::Link& link : after.links) {
        const std::string key = link_key(link.netns, link.name);
        const auto it = links_before.find({link.netns, link.name});
        if (it == links_before.end()) {
            out.push_back(Diff{fmt::format("link {} in {}: left over", link.name, where(link.netns)), key, link.netns,
                               Change::left_over, is_owned(link)});
            continue;
        }
        for (const auto& [field, values] : link_fields(*it->second, link)) {
            out.push_back(Diff{fmt::format("link {} in {}: {} is {}, was {}", link.name, where(link.netns), field,
                                           values.second.empty() ? "none" : values.second,
                                           values.first.empty() ? "none" : values.first),
                               key, link.netns, Change::changed, is_owned(link) || is_owned(*it->second)});
        }
        links_before.erase(it);
    }
    for (const auto& [names, link] : links_before) {
        out.push_back(Diff{fmt::format("link {} in {}: missing", names.second, where(names.first)),
                           link_key(names.first, names.second), names.first, Change::missing, is_owned(*link)});
    }

    compare_objects(
        before.addresses, after.addresses, [](const live::Address& a) { return address_key(a.netns, a.dev, a.local); },
        address_text, out);
    compare_objects(
        before.routes, after.routes, [](const live::Route& r) { return route_key(r.netns, r.table, r.dst, r.metric); },
        route_text, out);
    compare_objects(
        before.neighbors, after.neighbors, [](const live::Neighbor& n) { return neighbor_key(n.netns, n.dev, n.dst); },
        neighbor_text, out);
    if (!whole.empty()) {
        out.erase(std::remove_if(out.begin() + static_cast<std::ptrdiff_t>(namespaces_end), out.end(),
                                 [&](const Diff& d) { return whole.contains(d.netns); }),
                  out.end());
    }
    return out;
}

// Identities of the objects the steps of a plan name.
// The keys the operations `ops` name (all: nullptr), forward or inverse.
std::set<std::string> named_by(const plan::Plan& plan, const std::set<std::size_t>* ops = nullptr) {
    std::set<std::string> keys;
    const auto add = [&](const plan::Step& step) {
        plan::visit_object(
            [&](const auto& o) {
                using T = std::decay_t<decltype(o)>;
                if constexpr (std::is_same_v<T, plan::NetnsSpec>) keys.insert(key_of({"netns", o.name}));
                if constexpr (std::is_same_v<T, plan::LinkCreate>) {
                    keys.insert(link_key(o.end.netns, o.end.name));
                    if (o.peer) keys.insert(link_key(o.peer->netns, o.peer->name));
                }
                if constexpr (std::is_same_v<T, plan::LinkChange>) keys.insert(link_key(o.netns, o.name));
                if constexpr (std::is_same_v<T, plan::LinkDelete>) {
                    if (!o.group) keys.insert(link_key(o.netns, o.name));
                }
                if constexpr (std::is_same_v<T, plan::NeighParms>) keys.insert(link_key(o.netns, o.dev));
                if constexpr (std::is_same_v<T, kernel::Address>) keys.insert(address_key(o.netns, o.dev, o.local));
                if constexpr (std::is_same_v<T, kernel::Route>) {
                    keys.insert(route_key(o.netns, o.table, o.dst, o.metric));
                }
                if constexpr (std::is_same_v<T, kernel::Neighbor>) keys.insert(neighbor_key(o.netns, o.dev, o.dst));
            },
            step);
    };
    for (std::size_t i = 0; i < plan.ops.size(); ++i) {
        if (ops != nullptr && !ops->contains(i)) continue;
        add(plan.ops[i].step);
        for (const plan::Step& step : plan.ops[i].inverse) add(step);
    }
    return keys;
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

std::vector<std::string> state_differences(const live::State& before, const live::State& after) {
    std::vector<std::string> out;
    for (Diff& d : all_differences(before, after)) out.push_back(std::move(d.text));
    return out;
}

SplitDifferences split_differences(const live::State& before, const live::State& after, const plan::Plan& plan,
                                   const std::set<std::size_t>& ops_of_others) {
    std::set<std::string> owned_namespaces;
    for (const live::State* state : {&before, &after}) {
        for (const live::Netns& ns : state->namespaces) {
            if (ns.owned) owned_namespaces.insert(ns.name);
        }
    }
    const std::set<std::string> named = named_by(plan);
    const std::set<std::string> theirs = named_by(plan, &ops_of_others);
    SplitDifferences split;
    for (Diff& d : all_differences(before, after)) {
        const bool ours = !theirs.contains(d.key) &&
                          (d.owned || owned_namespaces.contains(d.netns) ||
                           (named.contains(d.key) && d.change != Change::left_over));
        (ours ? split.ours : split.others).push_back(std::move(d.text));
    }
    return split;
}

}  // namespace podnetc::rt
