// make_plan: the phases of a plan (docs/PLANNER.md, "Order").
//   0. deletions that must come first (a link re-created under its name, an old
//      address whose deletion would take a new one with it)
//   1. namespaces   2. links (bridges, then veths)
//   3. per namespace, host first: link settings, neighbour parameters, addresses,
//      routes (link-scope before gateway routes), neighbours
//   4. deletions: per namespace routes, neighbours, addresses; then links (host
//      first); then namespaces
// Each phase diffs the declaration against the *predicted* state (the kernel
// model after the steps before it), so that what an earlier step removes as a side
// effect is put back by a later one. A late deletion that would remove a declared
// object is moved to phase 0 and the plan is rebuilt.
#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "compiler/objects/ownership.hpp"
#include "compiler/steps/plan_describe.hpp"
#include "compiler/plan/recorded_ownership.hpp"
#include "compiler/plan/plan_diff.hpp"
#include "compiler/steps/plan_specs.hpp"
#include "compiler/plan/planner.hpp"
#include "compiler/plan/planner_forward.hpp"

namespace podnetc::plan {
namespace {

// A route to another node's pods says which node: "pods of worker-2".
std::string with_remote(const ir::Route& route, const std::string& detail) {
    if (route.remote_node.empty()) return detail;
    const std::string pods = "pods of " + route.remote_node;
    return detail.empty() ? pods : pods + "; " + detail;
}

// Each rebuild moves at least one more deletion to the front; real plans need one.
constexpr int kMaxRebuilds = 16;

std::string joined(const std::vector<std::string>& parts) { return fmt::format("{}", fmt::join(parts, ", ")); }

// podnetc's own object, put back by another tool without podnetc's marker.
std::string rewritten(const std::string& differences) {
    return differences + ": rewritten by another tool; podnetc's marker is set again";
}

// Conflicts read like compiler errors: in file order, whatever phase found them;
// those about objects no longer declared (no source) last, in the order found.
void sort_by_location(std::vector<Conflict>& conflicts) {
    std::stable_sort(conflicts.begin(), conflicts.end(), [](const Conflict& a, const Conflict& b) {
        const auto key = [](const SourceRange& r) { return std::make_tuple(!r.known(), r.file, r.offset); };
        return key(a.source) < key(b.source);
    });
}

}  // namespace

Plan make_plan(const ir::NodeIr& desired, const live::State& live) {
    return ForwardPlanner(desired, live).run();
}

Plan ForwardPlanner::run() {
    classify();
    for (int round = 0;; ++round) {
        PlanWriter w(initial_, want_.keys, live_.last_applied);
        const std::vector<Damage> damage = build(w);
        bool moved = false;
        for (const Damage& d : damage) {
            if (early_.count(d.key) != 0) continue;
            std::vector<std::string> what;
            for (const Removed& r : d.removed) what.push_back(r.what);
            early_[d.key] = fmt::format("deleted first: later, it would take {} with it", joined(what));
            moved = true;
        }
        if (moved && round + 1 < kMaxRebuilds) continue;
        Plan plan;
        plan.node = ir_.node;
        plan.ops = w.take_ops();
        plan.conflicts = conflicts_;
        plan.warnings = warnings_;
        for (Conflict& c : w.take_conflicts()) {
            if (conflict_messages_.insert(c.message).second) plan.conflicts.push_back(std::move(c));
        }
        sort_by_location(plan.conflicts);
        plan.state_fingerprint = fingerprint(want_, live_);
        return plan;
    }
}

std::vector<ForwardPlanner::Damage> ForwardPlanner::build(PlanWriter& w) {
    created_.clear();
    delete_first(w);
    create_namespaces(w);
    create_links(w);
    for (const std::string& netns : order_) {
        if (blocked_netns(netns)) continue;
        configure_links(w, netns);
        configure_addresses(w, netns);
        configure_routes(w, netns);
        configure_neighbors(w, netns);
    }
    return delete_undeclared(w, false);
}

Reason ForwardPlanner::reason_for(const std::string& key, const std::string& canonical_text, Found initial) const {
    if (initial != Found::matches && live_.last_applied) {
        const auto it = live_.last_applied->find(key);
        if (it != live_.last_applied->end() && it->second == canonical_text) return Reason::drift;
    }
    return initial == Found::differs ? Reason::differs : Reason::missing;
}

// `differences` is what the op changes ("mtu 1500 -> 1450", or the settings of a
// new object); an object that matched before the plan is being put back after a
// side effect of an earlier step, which the detail names.
std::string ForwardPlanner::detail_for(const PlanWriter& w, const std::string& key, Found initial, Reason reason,
                                       std::string differences) const {
    if (initial == Found::matches) {
        const std::string cause = w.cause_of(key);
        if (!cause.empty()) {
            const std::string again = "again: the kernel removes it when podnetc does \"" + cause + "\"";
            return differences.empty() ? again : differences + "; " + again;
        }
    }
    if (reason == Reason::drift && initial == Found::absent && differences.empty()) return "missing";
    return differences;
}

// ---- phase 0 ----------------------------------------------------------------

void ForwardPlanner::delete_first(PlanWriter& w) {
    delete_undeclared(w, true);
    for (const auto& [key, difference] : recreate_) {
        if (w.model().link(key.netns, key.name) == nullptr) continue;  // went with its peer
        const ir::Link& l = *want_.links.at(key);
        const Reason reason = reason_for(record_key(key), canonical(l), Found::differs);
        w.emit(DeleteLink{LinkDelete{key.netns, key.name, std::nullopt}},
               OpInfo{reason, difference + ": deleted to be re-created", l.pod, l.range});
    }
}

// ---- phases 1 and 2 ---------------------------------------------------------

void ForwardPlanner::create_namespaces(PlanWriter& w) {
    for (const auto& ns : ir_.namespaces) {
        if (blocked_netns(ns.name)) continue;
        const std::string key = record_key_netns(ns.name);
        const live::Netns* have = w.model().netns(ns.name);
        if (have == nullptr) {
            const Found initial = initial_.netns(ns.name) != nullptr ? Found::matches : Found::absent;
            const Reason reason = reason_for(key, canonical(ns), initial);
            w.emit(CreateNetns{NetnsSpec{ns.name}},
                   OpInfo{reason, detail_for(w, key, initial, reason, ""), ns.name, ns.range});
        } else if (!have->owned && adopt_.count(key) != 0) {
            w.emit(RegisterNetns{NetnsSpec{ns.name}},
                   OpInfo{Reason::adopt, "", ns.name, ns.range});
        } else if (!have->owned && reclaimed(key)) {
            w.emit(RegisterNetns{NetnsSpec{ns.name}},
                   OpInfo{reason_for(key, canonical(ns), Found::differs),
                          "missing from podnetc's namespace registry", ns.name, ns.range});
        }
    }
}

void ForwardPlanner::create_links(PlanWriter& w) {
    for (const std::string_view kind : {kernel::kBridge, kernel::kVeth}) {
        for (const std::string& netns : order_) {
            for (const ir::Link* l : want_.links_in(netns)) {
                if (l->kind != kind || (kind == kernel::kVeth && !l->primary)) continue;
                if (blocked_dev(l->netns, l->name) || w.model().link(l->netns, l->name) != nullptr) continue;
                LinkCreate create;
                create.kind = kind;
                create.end = LinkEnd{l->netns, l->name, l->mac, l->mtu, kOwnedLinkGroup};
                create.master = l->master;
                create.up = l->up();
                if (kind == kernel::kVeth) {
                    const auto peer = want_.links.find(LinkKey{l->peer_netns, l->peer_name});
                    LinkEnd end{l->peer_netns, l->peer_name, std::nullopt, 0, kOwnedLinkGroup};
                    if (peer != want_.links.end()) {
                        end.mac = peer->second->mac;
                        end.mtu = peer->second->mtu;
                    }
                    create.peer = end;
                    created_.insert(LinkKey{l->peer_netns, l->peer_name});
                }
                created_.insert(key_of(*l));
                const std::string key = record_key(key_of(*l));
                const Found initial = found(*l);
                const Reason reason = reason_for(key, canonical(*l), initial);
                const auto recreated = recreate_.find(key_of(*l));
                const std::string difference = recreated == recreate_.end() ? "" : recreated->second;
                w.emit(CreateLink{create},
                       OpInfo{reason, detail_for(w, key, initial, reason, difference), l->pod, l->range});
            }
        }
    }
}

// ---- phase 3 ----------------------------------------------------------------

void ForwardPlanner::configure_links(PlanWriter& w, const std::string& netns) {
    const auto& links = want_.links_in(netns);
    for (const ir::Link* l : links) {
        if (blocked_dev(l->netns, l->name)) continue;
        const live::Link* have = w.model().link(l->netns, l->name);
        if (have == nullptr) continue;
        const bool adopting = !is_owned(*have) && adopt_.count(record_key(key_of(*l))) != 0;
        const LinkDiff d = diff_link(*l, *have, adopting);
        if (!d.any()) continue;
        const std::string key = record_key(key_of(*l));
        const Found initial = found(*l);
        if (adopting) {
            w.emit(ChangeLink{d.change}, OpInfo{Reason::adopt, joined(d.details), l->pod, l->range});
            continue;
        }
        const Reason reason = reason_for(key, canonical(*l), initial);
        const bool fresh = created_.count(key_of(*l)) != 0;
        const std::string differences = fresh ? describe_settings(d.change) : joined(d.details);
        w.emit(ChangeLink{d.change},
               OpInfo{reason, detail_for(w, key, initial, reason, differences), l->pod, l->range});
    }
    for (const ir::Link* l : links) {
        if (blocked_dev(l->netns, l->name)) continue;
        const live::Link* have = w.model().link(l->netns, l->name);
        if (have == nullptr) continue;
        const std::string difference = diff_proxy_delay(*l, *have);
        if (difference.empty()) continue;
        const std::string key = record_key(key_of(*l));
        const Found initial = found(*l);
        const Reason reason = reason_for(key, canonical(*l), initial);
        const bool fresh = created_.count(key_of(*l)) != 0;
        const std::string differences = fresh ? fmt::format("proxy_delay {}", *l->proxy_delay_ms) : difference;
        w.emit(SetNeighParms{NeighParms{netns, l->name, *l->proxy_delay_ms}},
               OpInfo{reason, detail_for(w, key, initial, reason, differences), l->pod, l->range});
    }
}

void ForwardPlanner::configure_addresses(PlanWriter& w, const std::string& netns) {
    for (const ir::Address* a : want_.addresses_in(netns)) {
        if (blocked_dev(a->netns, a->dev)) continue;
        const live::Address* have = w.model().address(key_of(*a));
        if (have != nullptr && is_owned(*have)) continue;  // as declared: nothing else is compared
        const std::string key = record_key(key_of(*a));
        if (have == nullptr) {
            const Found initial = initial_.address(key_of(*a)) != nullptr ? Found::matches : Found::absent;
            const Reason reason = reason_for(key, canonical(*a), initial);
            w.emit(AddAddress{a->object()},
                   OpInfo{reason, detail_for(w, key, initial, reason, ""), a->pod, a->range});
        } else if (adopt_.count(key) != 0) {
            w.emit(ReplaceAddress{a->object()}, OpInfo{Reason::adopt, "", a->pod, a->range});
        } else if (reclaimed(key)) {
            const std::string differences = fmt::format("proto {} -> {}", protocol_name(have->protocol),
                                                        protocol_name(a->object().protocol));
            w.emit(ReplaceAddress{a->object()},
                   OpInfo{reason_for(key, canonical(*a), Found::differs), rewritten(differences), a->pod, a->range});
        }
    }
}

// Link-scope routes first: a gateway route needs the route to its gateway.
void ForwardPlanner::configure_routes(PlanWriter& w, const std::string& netns) {
    for (const bool gateway_pass : {false, true}) {
        for (const ir::Route* r : want_.routes_in(netns)) {
            if (r->gateway.has_value() != gateway_pass || blocked_dev(r->netns, r->dev)) continue;
            const kernel::Route want = r->object();
            const live::Route* have = w.model().route(key_of(*r));
            if (have != nullptr && is_owned(*have) && diff_route(want, *have, false).empty()) continue;
            const std::string key = record_key(key_of(*r));
            const Found initial = found(*r);
            const Reason reason = reason_for(key, canonical(*r), initial);
            if (have == nullptr) {
                const live::Route* before = initial_.route(key_of(*r));
                const std::string differences =
                    initial == Found::differs && before != nullptr ? joined(diff_route(want, *before, false)) : "";
                w.emit(AddRoute{want}, OpInfo{reason, with_remote(*r, detail_for(w, key, initial, reason, differences)),
                                              r->pod, r->range});
            } else if (is_owned(*have)) {
                const auto differences = diff_route(want, *have, false);
                if (differences.empty()) continue;
                w.emit(ReplaceRoute{want},
                       OpInfo{reason, with_remote(*r, detail_for(w, key, initial, reason, joined(differences))),
                              r->pod, r->range});
            } else if (kernel_route_satisfies(want, *have)) {
                continue;  // the kernel's own prefix route is exactly the declared one
            } else if (adopt_.count(key) != 0) {
                w.emit(ReplaceRoute{want},
                       OpInfo{Reason::adopt, joined(diff_route(want, *have, true)), r->pod, r->range});
            } else if (reclaimed(key)) {
                w.emit(ReplaceRoute{want},
                       OpInfo{reason, rewritten(joined(diff_route(want, *have, false))), r->pod, r->range});
            } else if (left_to_kernel(*have) && initial_.route(key_of(*r)) == nullptr) {
                add_conflict(r->range,
                             fmt::format("route {} collides with the prefix route the kernel adds for an address",
                                         dst_text(r->dst)),
                             {"found: " + describe_found(*have)});
            }
        }
    }
}

void ForwardPlanner::configure_neighbors(PlanWriter& w, const std::string& netns) {
    for (const ir::Neighbor* n : want_.neighbors_in(netns)) {
        if (blocked_dev(n->netns, n->dev)) continue;
        const kernel::Neighbor want = n->object();
        const live::Neighbor* have = w.model().neighbor(key_of(*n));
        if (have != nullptr && is_owned(*have) && diff_neighbor(want, *have, false).empty()) continue;
        const std::string key = record_key(key_of(*n));
        const Found initial = found(*n);
        const Reason reason = reason_for(key, canonical(*n), initial);
        if (have == nullptr) {
            w.emit(AddNeighbor{want},
                   OpInfo{reason, detail_for(w, key, initial, reason, ""), n->pod, n->range});
        } else if (is_owned(*have)) {
            const auto differences = diff_neighbor(want, *have, false);
            if (differences.empty()) continue;
            w.emit(ReplaceNeighbor{want},
                   OpInfo{reason, detail_for(w, key, initial, reason, joined(differences)), n->pod, n->range});
        } else if (adopt_.count(key) != 0) {
            w.emit(ReplaceNeighbor{want},
                   OpInfo{Reason::adopt, joined(diff_neighbor(want, *have, true)), n->pod, n->range});
        } else if (reclaimed(key)) {
            w.emit(ReplaceNeighbor{want},
                   OpInfo{reason, rewritten(joined(diff_neighbor(want, *have, false))), n->pod, n->range});
        }
    }
}

// ---- phase 4 (and the part of it moved to phase 0) ----------------------------

std::vector<ForwardPlanner::Damage> ForwardPlanner::delete_undeclared(PlanWriter& w, bool early_only) {
    std::vector<Damage> damage;
    if (early_only && early_.empty()) return damage;
    const auto remove = [&](Step step, const std::string& key, const std::string& pod) {
        const auto early = early_.find(key);
        if (early_only != (early != early_.end())) return;
        const std::string detail = early_only ? early->second : "";
        const auto removed = w.emit(std::move(step), OpInfo{Reason::undeclared, detail, pod, SourceRange{}});
        if (!early_only && !removed.empty()) damage.push_back(Damage{key, removed});
    };
    const KernelModel& m = w.model();
    for (const std::string& netns : order_) {
        if (doomed_netns_.count(netns) != 0) continue;  // goes with its namespace
        std::vector<live::Route> routes;
        for (const live::Route* r : m.routes_in(netns)) {
            if (ours(*r, live_.last_applied) && want_.routes.count(key_of(*r)) == 0) {
                routes.insert(r->gateway ? routes.begin() : routes.end(), *r);
            }
        }
        for (const auto& r : routes) {
            if (m.route(key_of(r)) == nullptr) continue;
            remove(DeleteRoute{request(r)}, record_key(key_of(r)),
                   pod_of_live(initial_, netns, r.dev));
        }
        std::vector<live::Neighbor> neighbors;
        for (const live::Neighbor* n : m.neighbors_in(netns)) {
            if (ours(*n, live_.last_applied) && want_.neighbors.count(key_of(*n)) == 0) neighbors.push_back(*n);
        }
        for (const auto& n : neighbors) {
            if (m.neighbor(key_of(n)) == nullptr) continue;
            remove(DeleteNeighbor{request(n)}, record_key(key_of(n)),
                   pod_of_live(initial_, netns, n.dev));
        }
        std::vector<live::Address> addresses;
        for (const live::Address* a : m.addresses_in(netns)) {
            if (ours(*a, live_.last_applied) && want_.addresses.count(key_of(*a)) == 0) addresses.push_back(*a);
        }
        for (const auto& a : addresses) {
            if (m.address(key_of(a)) == nullptr) continue;
            remove(DeleteAddress{request(a)}, record_key(key_of(a)),
                   pod_of_live(initial_, netns, a.dev));
        }
    }
    for (const std::string& netns : order_) {
        std::vector<std::string> names;
        for (const live::Link* l : m.links_in(netns)) {
            if (!left_to_kernel(*l) && m.owned(*l) && want_.links.count(key_of(*l)) == 0) names.push_back(l->name);
        }
        for (const auto& name : names) {
            const live::Link* l = m.link(netns, name);
            if (l == nullptr) continue;  // went with its peer
            const bool doomed = doomed_netns_.count(netns) != 0;
            // A link that lives and dies inside deleted namespaces needs no step of its own;
            // one with an end outside is deleted first: namespace deletion is asynchronous.
            if (doomed && (l->kind != "veth" || m.peer_of(*l) == nullptr || doomed_netns_.count(l->peer_netns) != 0)) {
                continue;
            }
            remove(DeleteLink{LinkDelete{netns, name, std::nullopt}},
                   record_key(LinkKey{netns, name}), pod_of_live(initial_, netns, name));
        }
    }
    for (const std::string& netns : order_) {
        if (doomed_netns_.count(netns) == 0 || m.netns(netns) == nullptr) continue;
        remove(DeleteNetns{NetnsSpec{netns}}, record_key_netns(netns), netns);
    }
    return damage;
}

}  // namespace podnetc::plan
