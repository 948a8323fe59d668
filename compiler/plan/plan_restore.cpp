#include "compiler/plan/plan_restore.hpp"

#include <map>
#include <set>
#include <string>

#include "compiler/objects/object_keys.hpp"
#include "compiler/steps/plan_specs.hpp"

namespace podnetc::plan {
namespace {

// Steps collected by phase, concatenated in execution order at the end.
struct Phases {
    std::vector<Step> delete_routes, delete_neighbors, delete_addresses, delete_links, delete_netns;
    std::vector<Step> netns, bridges, links, link_settings, parms;
    std::vector<Step> addresses, secondary_addresses, link_routes, gateway_routes, neighbors;

    std::vector<Step> concat() {
        std::vector<Step> out;
        for (auto* phase : {&delete_routes, &delete_neighbors, &delete_addresses, &delete_links,
                            &delete_netns, &netns, &bridges, &links, &link_settings, &parms,
                            &addresses, &secondary_addresses, &link_routes, &gateway_routes,
                            &neighbors}) {
            for (auto& s : *phase) out.push_back(std::move(s));
        }
        return out;
    }
};

LinkEnd end_of(const live::Link& l) { return LinkEnd{l.netns, l.name, l.mac, l.mtu, l.group}; }

// The settings a freshly created link does not have yet. `in_create` says whether
// up/master already went into the create message (the primary end).
void settings_after_create(const live::Link& l, bool in_create, Phases& out) {
    LinkChange change;
    change.netns = l.netns;
    change.name = l.name;
    if (!in_create && l.up()) change.up = true;
    if (!in_create && !l.master.empty()) change.master = l.master;
    change.proxy_arp = l.proxy_arp;
    change.forwarding = l.forwarding;
    if (change.up || change.master || change.proxy_arp || change.forwarding) {
        out.link_settings.push_back(ChangeLink{change});
    }
    if (l.proxy_delay_ms) {
        out.parms.push_back(SetNeighParms{NeighParms{l.netns, l.name, *l.proxy_delay_ms}});
    }
}

void revert_settings(const live::Link& before, const live::Link& after, Phases& out) {
    LinkChange change;
    change.netns = before.netns;
    change.name = before.name;
    if (before.up() != after.up()) change.up = before.up();
    if (before.mtu != after.mtu) change.mtu = before.mtu;
    if (left_to_kernel(before)) {  // `lo` of a re-created namespace: only up and MTU are podnetc's to restore
        if (change.up || change.mtu) out.link_settings.push_back(ChangeLink{change});
        return;
    }
    if (before.mac && before.mac != after.mac) change.mac = before.mac;
    if (before.master != after.master) change.master = before.master;
    if (before.group != after.group) change.group = before.group;
    if (before.proxy_arp && before.proxy_arp != after.proxy_arp) change.proxy_arp = before.proxy_arp;
    if (before.forwarding && before.forwarding != after.forwarding) change.forwarding = before.forwarding;
    if (change.up || change.mtu || change.mac || change.master || change.group || change.proxy_arp ||
        change.forwarding) {
        out.link_settings.push_back(ChangeLink{change});
    }
    if (before.proxy_delay_ms && before.proxy_delay_ms != after.proxy_delay_ms) {
        out.parms.push_back(SetNeighParms{NeighParms{before.netns, before.name, *before.proxy_delay_ms}});
    }
}

class Restorer {
public:
    explicit Restorer(const Changes& changes) : c_(changes) {
        for (const auto& n : c_.namespaces) {
            if (!n.before && n.after) created_netns_.insert(n.after->name);
            if (n.before && !n.after) recreated_netns_.insert(n.before->name);
        }
        for (const auto& l : c_.links) {
            if (!l.before && l.after && !left_to_kernel(*l.after)) created_links_.insert(key_of(*l.after));
            if (l.before && !l.after) removed_links_.emplace(key_of(*l.before), *l.before);
        }
    }

    std::vector<Step> run() {
        delete_created();
        restore_namespaces();
        restore_links();
        restore_addresses();
        restore_routes();
        restore_neighbors();
        return out_.concat();
    }

private:
    // An object inside something this inverse deletes anyway needs no step.
    bool goes_with_parent(const std::string& netns, const std::string& dev) const {
        return created_netns_.count(netns) != 0 || created_links_.count(LinkKey{netns, dev}) != 0;
    }

    void delete_created() {
        for (const auto& r : c_.routes) {
            if (r.before || !r.after || left_to_kernel(*r.after) || goes_with_parent(r.after->netns, r.after->dev)) continue;
            out_.delete_routes.insert(r.after->gateway ? out_.delete_routes.begin() : out_.delete_routes.end(),
                                      DeleteRoute{request(*r.after)});
        }
        for (const auto& n : c_.neighbors) {
            if (n.before || !n.after || goes_with_parent(n.after->netns, n.after->dev)) continue;
            out_.delete_neighbors.push_back(DeleteNeighbor{request(*n.after)});
        }
        // Secondaries before primaries: a primary takes its secondaries with it.
        std::vector<Step> primaries;
        for (const auto& a : c_.addresses) {
            if (a.before || !a.after || goes_with_parent(a.after->netns, a.after->dev)) continue;
            if (left_to_kernel(*a.after) && !on_loopback(*a.after)) continue;
            Step s = DeleteAddress{request(*a.after)};
            ((a.after->flags & kIfaSecondary) != 0 ? out_.delete_addresses : primaries).push_back(std::move(s));
        }
        for (auto& s : primaries) out_.delete_addresses.push_back(std::move(s));
        std::set<LinkKey> handled;
        for (const auto& l : c_.links) {  // key order: host links come first
            if (l.before || !l.after || left_to_kernel(*l.after) || handled.count(key_of(*l.after)) != 0) continue;
            const live::Link& link = *l.after;
            const bool veth = link.kind == "veth";
            if (veth) handled.insert(LinkKey{link.peer_netns, link.peer_name});
            if (created_netns_.count(link.netns) != 0 && (!veth || created_netns_.count(link.peer_netns) != 0)) continue;
            out_.delete_links.push_back(DeleteLink{LinkDelete{link.netns, link.name, std::nullopt}});
        }
        for (const auto& n : c_.namespaces) {
            if (!n.before && n.after) out_.delete_netns.push_back(DeleteNetns{NetnsSpec{n.after->name}});
        }
    }

    void restore_namespaces() {
        for (const auto& n : c_.namespaces) {
            if (n.before && !n.after) {
                // Its lo as it was: up, or down as `ip netns add` leaves it.
                const auto lo = removed_links_.find(LinkKey{n.before->name, "lo"});
                const bool lo_up = lo == removed_links_.end() || lo->second.up();
                out_.netns.push_back(CreateNetns{NetnsSpec{n.before->name, lo_up}});
            } else if (n.before && n.after && n.before->owned != n.after->owned) {
                const NetnsSpec spec{n.before->name};
                out_.netns.push_back(n.before->owned ? Step{RegisterNetns{spec}} : Step{UnregisterNetns{spec}});
            }
        }
    }

    void restore_links() {
        std::set<LinkKey> handled;
        for (const auto& [key, link] : removed_links_) {
            if (left_to_kernel(link) || handled.count(key) != 0) continue;
            if (link.kind == "bridge") {
                LinkCreate create{std::string(kernel::kBridge), end_of(link), std::nullopt, link.master, link.up()};
                out_.bridges.push_back(CreateLink{create});
                settings_after_create(link, true, out_);
            } else if (link.kind == "veth") {
                const auto peer_it = removed_links_.find(LinkKey{link.peer_netns, link.peer_name});
                if (peer_it == removed_links_.end()) continue;  // peer in an unnamed namespace: not restorable
                const bool swap = !link.netns.empty() && peer_it->second.netns.empty();
                const live::Link& end = swap ? peer_it->second : link;
                const live::Link& peer = swap ? link : peer_it->second;
                handled.insert(key_of(peer));
                handled.insert(key_of(end));
                LinkCreate create{std::string(kernel::kVeth), end_of(end), end_of(peer), end.master, end.up()};
                out_.links.push_back(CreateLink{create});
                settings_after_create(end, true, out_);
                settings_after_create(peer, false, out_);
            }
            // Other kinds (physical, dummy…) are never podnetc's to re-create.
        }
        for (const auto& l : c_.links) {
            if (l.before && l.after) revert_settings(*l.before, *l.after, out_);
        }
    }

    void restore_addresses() {
        for (const auto& a : c_.addresses) {
            if (!a.before) continue;
            // lo's: once its namespace exists again, against what the kernel gave it.
            if (left_to_kernel(*a.before) &&
                (!on_loopback(*a.before) || a.after || recreated_netns_.count(a.before->netns) != 0)) {
                continue;
            }
            if (!a.after) {
                auto& phase = (a.before->flags & kIfaSecondary) != 0 ? out_.secondary_addresses : out_.addresses;
                phase.push_back(AddAddress{request(*a.before)});
            } else {
                out_.addresses.push_back(ReplaceAddress{request(*a.before)});
            }
        }
    }

    void restore_routes() {
        for (const auto& r : c_.routes) {
            if (!r.before || left_to_kernel(*r.before)) continue;
            auto& phase = r.before->gateway ? out_.gateway_routes : out_.link_routes;
            const kernel::Route route = request(*r.before);
            phase.push_back(r.after ? Step{ReplaceRoute{route}} : Step{AddRoute{route}});
        }
    }

    void restore_neighbors() {
        for (const auto& n : c_.neighbors) {
            if (!n.before) continue;
            const kernel::Neighbor neighbor = request(*n.before);
            out_.neighbors.push_back(n.after ? Step{ReplaceNeighbor{neighbor}} : Step{AddNeighbor{neighbor}});
        }
    }

    const Changes& c_;
    std::set<std::string> created_netns_;
    std::set<std::string> recreated_netns_;  // by this pass: lo is what the kernel makes
    std::set<LinkKey> created_links_;
    std::map<LinkKey, live::Link> removed_links_;
    Phases out_;
};

}  // namespace

std::vector<Step> restore_steps(const Changes& changes) { return Restorer(changes).run(); }

}  // namespace podnetc::plan
