// The declared objects of an IR, indexed by identity and bucketed per namespace
// (in file order, so that plans list objects the way the file does).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/model/kernel_model.hpp"
#include "compiler/objects/object_keys.hpp"

namespace podnetc::plan {

struct DesiredIndex {
    explicit DesiredIndex(const ir::NodeIr& ir);

    std::map<std::string, const ir::Namespace*> namespaces;
    std::map<LinkKey, const ir::Link*> links;
    std::map<AddressKey, const ir::Address*> addresses;
    std::map<RouteKey, const ir::Route*> routes;
    std::map<NeighborKey, const ir::Neighbor*> neighbors;
    std::set<std::string> keys;  // record keys of every declared object
    std::string underlay_dev;    // the cluster backend's device, which the planner reads; "" without

    const std::vector<const ir::Link*>& links_in(const std::string& netns) const;
    const std::vector<const ir::Address*>& addresses_in(const std::string& netns) const;
    const std::vector<const ir::Route*>& routes_in(const std::string& netns) const;
    const std::vector<const ir::Neighbor*>& neighbors_in(const std::string& netns) const;

private:
    std::map<std::string, std::vector<const ir::Link*>> links_by_netns_;
    std::map<std::string, std::vector<const ir::Address*>> addresses_by_netns_;
    std::map<std::string, std::vector<const ir::Route*>> routes_by_netns_;
    std::map<std::string, std::vector<const ir::Neighbor*>> neighbors_by_netns_;
};

// The order in which a plan visits namespaces: the host first, then the declared
// namespaces in file order, then the other namespaces of the live state by name.
std::vector<std::string> namespace_order(const ir::NodeIr& ir, const KernelModel& live);

// The pod an undeclared object belongs to, for grouping: the namespace it is in,
// or for a host object on a veth, the namespace of the veth's other end.
std::string pod_of_live(const KernelModel& live, const std::string& netns, const std::string& dev);

}  // namespace podnetc::plan
