#include "compiler/steps/plan_specs.hpp"

#include "compiler/steps/object_keys.hpp"
#include "compiler/live/ownership.hpp"

namespace podnetc::plan {

AddressSpec address_spec(const live::Address& a) {
    return AddressSpec{a.netns, a.dev, a.local, a.peer, a.scope, a.protocol};
}

RouteSpec route_spec(const live::Route& r) {
    return RouteSpec{r.netns,    r.table, r.dst,  r.gateway,           r.dev,
                     r.scope,    r.protocol, r.type, (r.flags & kOnlink) != 0,
                     r.prefsrc,  r.metric};
}

NeighborSpec neighbor_spec(const live::Neighbor& n) {
    return NeighborSpec{n.netns, n.dev, n.dst, n.lladdr, n.state, n.protocol};
}

live::Address live_address(const AddressSpec& s) {
    live::Address a;
    a.netns = s.netns;
    a.dev = s.dev;
    a.local = s.local;
    a.peer = s.peer;
    a.scope = s.scope;
    a.flags = kIfaPermanent;
    a.protocol = s.protocol;
    return a;
}

live::Route live_route(const RouteSpec& s) {
    live::Route r;
    r.netns = s.netns;
    r.table = s.table;
    r.dst = s.dst;
    r.gateway = s.gateway;
    r.dev = s.dev;
    r.scope = s.scope;
    r.protocol = s.protocol;
    r.type = s.type;
    r.flags = s.onlink ? kOnlink : 0;
    r.prefsrc = s.prefsrc;
    r.metric = s.metric;
    return r;
}

live::Neighbor live_neighbor(const NeighborSpec& s) {
    live::Neighbor n;
    n.netns = s.netns;
    n.dev = s.dev;
    n.dst = s.dst;
    n.lladdr = s.lladdr;
    n.state = s.state;
    n.protocol = s.protocol;
    return n;
}

AddressSpec desired_address(const ir::Address& a) {
    return AddressSpec{a.netns, a.dev, a.local, std::nullopt, kScopeUniverse, kOwnedProtocol};
}

RouteSpec desired_route(const ir::Route& r) {
    RouteSpec s;
    s.netns = r.netns;
    s.table = kMainTable;
    s.dst = r.dst;
    s.gateway = r.gateway;
    s.dev = r.dev;
    s.scope = static_cast<std::uint8_t>(r.scope);
    s.protocol = kOwnedProtocol;
    s.type = kRouteUnicast;
    s.onlink = r.onlink;
    s.prefsrc = r.prefsrc;
    s.metric = 0;
    return s;
}

NeighborSpec desired_neighbor(const ir::Neighbor& n) {
    return NeighborSpec{n.netns, n.dev, n.dst, n.lladdr, kNudPermanent, kOwnedProtocol};
}

}  // namespace podnetc::plan
