#include "compiler/plan/planner_index.hpp"

#include "compiler/steps/plan_describe.hpp"

namespace podnetc::plan {
namespace {

template <class T>
const std::vector<const T*>& bucket(const std::map<std::string, std::vector<const T*>>& map, const std::string& netns) {
    static const std::vector<const T*> kEmpty;
    const auto it = map.find(netns);
    return it == map.end() ? kEmpty : it->second;
}

}  // namespace

DesiredIndex::DesiredIndex(const ir::NodeIr& ir) {
    if (ir.underlay) underlay_dev = ir.underlay->dev;
    for (const auto& n : ir.namespaces) {
        namespaces.emplace(n.name, &n);
        keys.insert(record_key_netns(n.name));
    }
    for (const auto& l : ir.links) {
        links.emplace(key_of(l), &l);
        keys.insert(record_key(key_of(l)));
        links_by_netns_[l.netns].push_back(&l);
    }
    for (const auto& a : ir.addresses) {
        addresses.emplace(key_of(a), &a);
        keys.insert(record_key(key_of(a)));
        addresses_by_netns_[a.netns].push_back(&a);
    }
    for (const auto& r : ir.routes) {
        routes.emplace(key_of(r), &r);
        keys.insert(record_key(key_of(r)));
        routes_by_netns_[r.netns].push_back(&r);
    }
    for (const auto& n : ir.neighbors) {
        neighbors.emplace(key_of(n), &n);
        keys.insert(record_key(key_of(n)));
        neighbors_by_netns_[n.netns].push_back(&n);
    }
}

const std::vector<const ir::Link*>& DesiredIndex::links_in(const std::string& netns) const {
    return bucket(links_by_netns_, netns);
}
const std::vector<const ir::Address*>& DesiredIndex::addresses_in(const std::string& netns) const {
    return bucket(addresses_by_netns_, netns);
}
const std::vector<const ir::Route*>& DesiredIndex::routes_in(const std::string& netns) const {
    return bucket(routes_by_netns_, netns);
}
const std::vector<const ir::Neighbor*>& DesiredIndex::neighbors_in(const std::string& netns) const {
    return bucket(neighbors_by_netns_, netns);
}

std::vector<std::string> namespace_order(const ir::NodeIr& ir, const KernelModel& live) {
    std::vector<std::string> out{""};
    std::set<std::string> seen{""};
    for (const auto& n : ir.namespaces) {
        if (seen.insert(n.name).second) out.push_back(n.name);
    }
    for (const auto& name : live.namespace_names()) {
        if (seen.insert(name).second) out.push_back(name);
    }
    return out;
}

std::string pod_of_live(const KernelModel& live, const std::string& netns, const std::string& dev) {
    if (!netns.empty()) return netns;
    const live::Link* link = live.link(netns, dev);
    if (link != nullptr && link->kind == "veth" && !link->peer_netns.empty() && link->peer_netns != "?") {
        return link->peer_netns;
    }
    return "";
}

}  // namespace podnetc::plan
