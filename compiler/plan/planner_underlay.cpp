// The node's underlay, when a cluster backend routes other nodes' pods over it
// (docs/PLANNER.md, "Cluster backend"): the device must exist (else a conflict, and
// nothing is planned through it); a next hop no connected route of the device covers,
// and IPv4 forwarding off, are warnings: the plan applies, the traffic will not flow.
#include <set>

#include <fmt/format.h>

#include "compiler/plan/planner_forward.hpp"

namespace podnetc::plan {
namespace {

// A route the kernel made for an address of `dev`, covering `address`: it is on-link.
bool on_link(const KernelModel& model, const std::string& dev, const ip::Address& address) {
    for (const live::Route* r : model.routes_in(ir::kHostNetns)) {
        if (r->dev == dev && !r->gateway && r->table == kernel::kMainTable && r->scope == kernel::kScopeLink &&
            r->dst.contains(address)) {
            return true;
        }
    }
    return false;
}

}  // namespace

void ForwardPlanner::add_warning(SourceRange source, std::string message, std::vector<std::string> notes) {
    warnings_.push_back(Conflict{source, std::move(message), std::move(notes)});
}

void ForwardPlanner::classify_underlay() {
    if (!ir_.underlay) return;
    const ir::Underlay& underlay = *ir_.underlay;
    const live::Link* dev = initial_.link(ir::kHostNetns, underlay.dev);
    if (dev == nullptr) {
        add_conflict(underlay.range,
                     fmt::format("underlay device {} does not exist on node {}", underlay.dev, ir_.node),
                     {"the routes to the other nodes' pods go out of it; name the device that has the node's "
                      "address " + underlay.address.str()});
        blocked_links_.insert(LinkKey{std::string(ir::kHostNetns), underlay.dev});
        return;
    }
    std::set<ip::Address> checked;  // each remote node once, at its first pod subnet
    for (const ir::Route& r : ir_.routes) {
        if (r.remote_node.empty() || !r.gateway || !checked.insert(*r.gateway).second) continue;
        if (on_link(initial_, underlay.dev, *r.gateway)) continue;
        add_warning(r.range,
                    fmt::format("the underlay address {} of node {} is not on-link on {}", r.gateway->str(),
                                r.remote_node, underlay.dev),
                    {fmt::format("no connected route of {} covers it: host-gw needs the nodes on one L2 "
                                 "segment, and the kernel will refuse the route",
                                 underlay.dev)});
    }
    if (live_.ip_forward == false || dev->forwarding == false) {
        const std::string setting = live_.ip_forward == false
                                        ? std::string("net.ipv4.ip_forward")
                                        : fmt::format("net.ipv4.conf.{}.forwarding", underlay.dev);
        add_warning(underlay.range,
                    fmt::format("IPv4 forwarding is off on node {} ({} = 0): packets of the other nodes for "
                                "the pods here are dropped",
                                ir_.node, setting),
                    {fmt::format("podnetc never sets it; run `sysctl -w {}=1`", setting)});
    }
}

}  // namespace podnetc::plan
