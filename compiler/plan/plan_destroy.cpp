// make_destroy_plan: everything podnetc owns goes, fast. Per namespace that holds
// owned links (host first: that also removes the pod ends of host veths), one
// RTM_DELLINK for the whole owned group; then links that belong to podnetc only
// through their peer, owned routes, neighbours and addresses of namespaces that
// stay; then every owned namespace. Inverses restore all of it.
#include <fmt/format.h>

#include "compiler/objects/ownership.hpp"
#include "compiler/steps/plan_specs.hpp"
#include "compiler/plan/recorded_ownership.hpp"
#include "compiler/plan/plan_writer.hpp"
#include "compiler/plan/planner.hpp"
#include "compiler/plan/planner_index.hpp"

namespace podnetc::plan {
namespace {

class Destroyer {
public:
    Destroyer(const ir::NodeIr& declared, const live::State& live)
        : want_(declared), live_(live), initial_(live), order_(namespace_order(declared, initial_)),
          w_(live, no_damage_check_) {}

    Plan run(const std::string& node) {
        for (const std::string& netns : order_) delete_links(netns);
        for (const std::string& netns : order_) {
            const live::Netns* n = w_.model().netns(netns);
            if (n != nullptr && (netns.empty() || !is_owned(*n))) delete_objects(netns);
        }
        for (const std::string& netns : order_) {
            const live::Netns* n = w_.model().netns(netns);
            if (netns.empty() || n == nullptr || !is_owned(*n)) continue;
            const auto declared = want_.namespaces.find(netns);
            w_.emit(DeleteNetns{NetnsSpec{netns}},
                    OpInfo{Reason::undeclared, "", netns,
                           declared == want_.namespaces.end() ? SourceRange{} : declared->second->range});
        }
        Plan plan;
        plan.node = node;
        plan.ops = w_.take_ops();
        plan.conflicts = w_.take_conflicts();
        plan.state_fingerprint = fingerprint(want_, live_);
        return plan;
    }

private:
    // Where a declared object is known, ops point at its declaration and its pod.
    template <class Map, class Key>
    OpInfo info(const Map& declared, const Key& key, const std::string& fallback_pod) const {
        const auto it = declared.find(key);
        if (it == declared.end()) return OpInfo{Reason::undeclared, "", fallback_pod, SourceRange{}};
        return OpInfo{Reason::undeclared, "", it->second->pod, it->second->range};
    }

    void delete_links(const std::string& netns) {
        const KernelModel& m = w_.model();
        bool group_members = false;
        for (const live::Link* l : m.links_in(netns)) group_members |= is_owned(*l) && !left_to_kernel(*l);
        if (group_members) {
            w_.emit(DeleteLink{LinkDelete{netns, "", kOwnedLinkGroup}},
                    OpInfo{Reason::undeclared, fmt::format("every link of group {}", kOwnedLinkGroup), netns, SourceRange{}});
        }
        std::vector<std::string> names;  // owned through their peer only
        for (const live::Link* l : m.links_in(netns)) {
            if (!left_to_kernel(*l) && m.owned(*l)) names.push_back(l->name);
        }
        for (const auto& name : names) {
            if (m.link(netns, name) == nullptr) continue;
            w_.emit(DeleteLink{LinkDelete{netns, name, std::nullopt}},
                    info(want_.links, LinkKey{netns, name}, pod_of_live(initial_, netns, name)));
        }
    }

    void delete_objects(const std::string& netns) {
        const KernelModel& m = w_.model();
        std::vector<live::Route> routes;
        for (const live::Route* r : m.routes_in(netns)) {
            if (ours(*r, live_.last_applied)) routes.insert(r->gateway ? routes.begin() : routes.end(), *r);
        }
        for (const auto& r : routes) {
            if (m.route(key_of(r)) == nullptr) continue;
            w_.emit(DeleteRoute{request(r)},
                    info(want_.routes, key_of(r), pod_of_live(initial_, netns, r.dev)));
        }
        std::vector<live::Neighbor> neighbors;
        for (const live::Neighbor* n : m.neighbors_in(netns)) {
            if (ours(*n, live_.last_applied)) neighbors.push_back(*n);
        }
        for (const auto& n : neighbors) {
            if (m.neighbor(key_of(n)) == nullptr) continue;
            w_.emit(DeleteNeighbor{request(n)},
                    info(want_.neighbors, key_of(n), pod_of_live(initial_, netns, n.dev)));
        }
        std::vector<live::Address> addresses;
        for (const live::Address* a : m.addresses_in(netns)) {
            if (ours(*a, live_.last_applied)) addresses.push_back(*a);
        }
        for (const auto& a : addresses) {
            if (m.address(key_of(a)) == nullptr) continue;
            w_.emit(DeleteAddress{request(a)},
                    info(want_.addresses, key_of(a), pod_of_live(initial_, netns, a.dev)));
        }
    }

    const std::set<std::string> no_damage_check_;
    DesiredIndex want_;
    const live::State& live_;
    KernelModel initial_;
    std::vector<std::string> order_;
    PlanWriter w_;
};

}  // namespace

Plan make_destroy_plan(const ir::NodeIr& declared, const live::State& live) {
    return Destroyer(declared, live).run(declared.node);
}

}  // namespace podnetc::plan
