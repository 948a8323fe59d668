// Classification: for every declared object, what stands at its identity in the
// live state: nothing, podnetc's own object (maybe to be re-created), a foreign
// object the file adopts, or a foreign object in the way (a conflict).
#include <fmt/format.h>

#include "compiler/objects/ownership.hpp"
#include "compiler/steps/plan_describe.hpp"
#include "compiler/plan/plan_diff.hpp"
#include "compiler/steps/plan_specs.hpp"
#include "compiler/plan/planner_forward.hpp"

namespace podnetc::plan {
namespace {

std::string where(const std::string& netns) {
    return netns.empty() ? "the host namespace" : "namespace " + netns;
}

// What `ip` writes when it is not told a protocol: a person, not a routing daemon.
bool written_by_hand(std::uint8_t protocol) {
    return protocol == 0 || protocol == kernel::kProtoBoot || protocol == kernel::kProtoStatic;
}

std::string taken_over_note(std::uint8_t protocol) {
    return fmt::format("podnetc's applied record lists it as podnetc's own: another writer (protocol {}) has "
                       "replaced it with other values; stop that writer or delete the object",
                       protocol_name(protocol));
}

}  // namespace

ForwardPlanner::ForwardPlanner(const ir::NodeIr& desired, const live::State& live)
    : ir_(desired), live_(live), want_(desired), initial_(live), order_(namespace_order(desired, initial_)) {}

void ForwardPlanner::add_conflict(SourceRange source, std::string message, std::vector<std::string> notes) {
    if (!conflict_messages_.insert(message).second) return;
    conflicts_.push_back(Conflict{source, std::move(message), std::move(notes)});
}

std::string ForwardPlanner::adopt_hint(const std::string& pod, const std::string& network) const {
    if (!pod.empty()) return fmt::format("add `adopt` to pod {} to take it over", pod);
    if (!network.empty()) return fmt::format("add `adopt` to network {} to take it over", network);
    return "remove it, or declare another name";
}

bool ForwardPlanner::recorded(const std::string& key) const {
    return live_.last_applied && live_.last_applied->count(key) != 0;
}

bool ForwardPlanner::rewritten_by_hand(const std::string& key, std::uint8_t protocol, bool same_values) const {
    return recorded(key) && (same_values || written_by_hand(protocol));
}

bool ForwardPlanner::blocked_dev(const std::string& netns, const std::string& dev) const {
    return blocked_netns(netns) || blocked_links_.count(LinkKey{netns, dev}) != 0;
}

void ForwardPlanner::classify() {
    for (const std::string& name : initial_.namespace_names()) {
        const live::Netns* n = initial_.netns(name);
        if (!name.empty() && is_owned(*n) && want_.namespaces.count(name) == 0) doomed_netns_.insert(name);
    }
    classify_namespaces();
    classify_links();
    classify_addresses();
    classify_underlay();
    classify_routes();
    classify_neighbors();
}

void ForwardPlanner::classify_namespaces() {
    for (const auto& ns : ir_.namespaces) {
        const live::Netns* have = initial_.netns(ns.name);
        if (have == nullptr || have->owned) continue;
        if (ns.adopt) {
            adopt_.insert(record_key_netns(ns.name));
            continue;
        }
        if (rewritten_by_hand(record_key_netns(ns.name), 0, true)) {
            reclaim_.insert(record_key_netns(ns.name));  // the registry entry is gone, the record has it
            continue;
        }
        blocked_netns_.insert(ns.name);
        add_conflict(ns.range, fmt::format("namespace {} exists and was not created by podnetc", ns.name),
                     {"it is not in podnetc's namespace registry",
                      fmt::format("add `adopt` to pod {} to take it over, or delete the namespace", ns.name)});
    }
}

void ForwardPlanner::classify_links() {
    for (const auto& l : ir_.links) {
        if (blocked_netns(l.netns)) {
            blocked_links_.insert(key_of(l));
            continue;
        }
        const live::Link* have = initial_.link(l.netns, l.name);
        if (have == nullptr) continue;
        const std::string name = qualified(l.netns, l.name);
        if (initial_.owned(*have)) {
            if (!same_kind_and_peer(l, *have)) recreate_.emplace(key_of(l), kind_and_peer_difference(l, *have));
            continue;
        }
        if (l.adopt && same_kind_and_peer(l, *have)) {
            adopt_.insert(record_key(key_of(l)));
            continue;
        }
        if (same_kind_and_peer(l, *have) && rewritten_by_hand(record_key(key_of(l)), 0, true)) {
            reclaim_.insert(record_key(key_of(l)));
            continue;
        }
        blocked_links_.insert(key_of(l));
        if (l.adopt) {
            add_conflict(l.range,
                         fmt::format("link {} exists but cannot be adopted: {}", name, kind_and_peer_difference(l, *have)),
                         {"found: " + describe_found(*have), "adopting takes over an object as it is; a different "
                                                             "kind or peer needs the link deleted by hand"});
            continue;
        }
        add_conflict(l.range, fmt::format("link {} exists and was not created by podnetc", name),
                     {"found: " + describe_found(*have),
                      fmt::format("podnetc marks its links with group {}", kOwnedLinkGroup),
                      adopt_hint(l.pod, l.kind == kernel::kBridge ? l.network : "")});
    }
    // A veth pair is made in one message: when one end cannot be planned, neither can
    // the other; nor a port of a bridge in conflict.
    for (int pass = 0; pass < 3; ++pass) {
        for (const auto& l : ir_.links) {
            const bool peer_blocked = l.kind == kernel::kVeth && blocked_dev(l.peer_netns, l.peer_name);
            const bool master_blocked = !l.master.empty() && blocked_dev(l.netns, l.master);
            if (peer_blocked || master_blocked) blocked_links_.insert(key_of(l));
        }
    }
}

void ForwardPlanner::classify_addresses() {
    for (const auto& a : ir_.addresses) {
        if (blocked_dev(a.netns, a.dev)) continue;
        const live::Address* have = initial_.address(key_of(a));
        if (have == nullptr || is_owned(*have)) continue;
        if (a.adopt) {
            adopt_.insert(record_key(key_of(a)));
            continue;
        }
        // Nothing but the key is compared for an address: the same key is the same values.
        if (rewritten_by_hand(record_key(key_of(a)), have->protocol, true)) {
            reclaim_.insert(record_key(key_of(a)));
            continue;
        }
        add_conflict(a.range,
                     fmt::format("address {} on {} exists and was not created by podnetc", a.local.str(),
                                 qualified(a.netns, a.dev)),
                     {"found: " + describe_found(*have),
                      fmt::format("podnetc marks its addresses with protocol {}", kOwnedProtocol),
                      adopt_hint(a.pod, "")});
    }
}

void ForwardPlanner::classify_routes() {
    for (const auto& r : ir_.routes) {
        if (blocked_dev(r.netns, r.dev)) continue;
        const live::Route* have = initial_.route(key_of(r));
        if (have == nullptr || is_owned(*have)) continue;
        const kernel::Route want = r.object();
        if (kernel_route_satisfies(want, *have)) continue;
        std::vector<std::string> notes{"found: " + describe_found(*have)};
        if (!have->dev.empty() && have->dev != r.dev) {
            notes.push_back(fmt::format("it sends {} through {} instead of {}", dst_text(r.dst), have->dev, r.dev));
        }
        if (left_to_kernel(*have)) {
            add_conflict(r.range,
                         fmt::format("route {} in {} is one the kernel made and differs from the declaration",
                                     dst_text(r.dst), where(r.netns)),
                         std::move(notes));
            continue;
        }
        if (r.adopt) {
            adopt_.insert(record_key(key_of(r)));
            continue;
        }
        const bool same_values = diff_route(want, *have, true).empty();
        if (rewritten_by_hand(record_key(key_of(r)), have->protocol, same_values)) {
            reclaim_.insert(record_key(key_of(r)));
            continue;
        }
        if (recorded(record_key(key_of(r)))) {
            notes.push_back(taken_over_note(have->protocol));
        }
        notes.push_back(fmt::format("podnetc marks its routes with protocol {}", kOwnedProtocol));
        notes.push_back(adopt_hint(r.pod, ""));
        add_conflict(r.range,
                     fmt::format("route {} in {} exists and was not created by podnetc", dst_text(r.dst), where(r.netns)),
                     std::move(notes));
    }
}

void ForwardPlanner::classify_neighbors() {
    for (const auto& n : ir_.neighbors) {
        if (blocked_dev(n.netns, n.dev)) continue;
        const live::Neighbor* have = initial_.neighbor(key_of(n));
        if (have == nullptr || is_owned(*have)) continue;
        if (n.adopt) {
            adopt_.insert(record_key(key_of(n)));
            continue;
        }
        const bool same_values = diff_neighbor(n.object(), *have, true).empty();
        if (rewritten_by_hand(record_key(key_of(n)), have->protocol, same_values)) {
            reclaim_.insert(record_key(key_of(n)));
            continue;
        }
        std::vector<std::string> notes{"found: " + describe_found(*have)};
        if (recorded(record_key(key_of(n)))) {
            notes.push_back(taken_over_note(have->protocol));
        }
        notes.push_back(fmt::format("podnetc marks its neighbours with protocol {}", kOwnedProtocol));
        notes.push_back(adopt_hint(n.pod, ""));
        add_conflict(n.range,
                     fmt::format("neighbor {} on {} exists and was not created by podnetc", n.dst.str(),
                                 qualified(n.netns, n.dev)),
                     std::move(notes));
    }
}

ForwardPlanner::Found ForwardPlanner::found(const ir::Link& l) const {
    const live::Link* have = initial_.link(l.netns, l.name);
    if (have == nullptr) return Found::absent;
    if (recreate_.count(key_of(l)) != 0) return Found::differs;
    const bool adopting = adopt_.count(record_key(key_of(l))) != 0;
    if (diff_link(l, *have, adopting).any() || !diff_proxy_delay(l, *have).empty()) return Found::differs;
    return Found::matches;
}

ForwardPlanner::Found ForwardPlanner::found(const ir::Route& r) const {
    const live::Route* have = initial_.route(key_of(r));
    if (have == nullptr) return Found::absent;
    const kernel::Route want = r.object();
    if (kernel_route_satisfies(want, *have)) return Found::matches;
    const bool adopting = adopt_.count(record_key(key_of(r))) != 0;
    return diff_route(want, *have, adopting).empty() ? Found::matches : Found::differs;
}

ForwardPlanner::Found ForwardPlanner::found(const ir::Neighbor& n) const {
    const live::Neighbor* have = initial_.neighbor(key_of(n));
    if (have == nullptr) return Found::absent;
    const bool adopting = adopt_.count(record_key(key_of(n))) != 0;
    return diff_neighbor(n.object(), *have, adopting).empty() ? Found::matches : Found::differs;
}

}  // namespace podnetc::plan
