#include "compiler/ir/ir.hpp"
#include "compiler/objects/ownership.hpp"

namespace podnetc::ir {
namespace {

template <class Object>
void wrap(Desired<Object>& d, std::string pod, bool adopt, SourceRange range) {
    d.pod = std::move(pod);
    d.adopt = adopt;
    d.range = range;
}

}  // namespace

Namespace declared_netns(std::string name, bool adopt, SourceRange range) {
    Namespace n;
    n.name = std::move(name);
    wrap(n, "", adopt, range);
    return n;
}

Address owned_address(std::string netns, std::string dev, ip::Prefix local, std::string pod, bool adopt,
                      SourceRange range) {
    Address a;
    a.netns = std::move(netns);
    a.dev = std::move(dev);
    a.local = local;
    a.scope = kernel::kScopeUniverse;
    a.protocol = kOwnedProtocol;
    wrap(a, std::move(pod), adopt, range);
    return a;
}

Route owned_route(std::string netns, ip::Prefix dst, std::optional<ip::Address> gateway, std::string dev,
                  std::uint8_t scope, bool onlink, std::optional<ip::Address> prefsrc, std::string pod, bool adopt,
                  SourceRange range) {
    Route r;
    r.netns = std::move(netns);
    r.table = kernel::kMainTable;
    r.dst = dst;
    r.gateway = gateway;
    r.dev = std::move(dev);
    r.scope = scope;
    r.protocol = kOwnedProtocol;
    r.type = kernel::kRouteUnicast;
    r.flags = onlink ? kernel::kOnlink : 0;
    r.prefsrc = prefsrc;
    r.metric = 0;
    wrap(r, std::move(pod), adopt, range);
    return r;
}

Neighbor owned_neighbor(std::string netns, std::string dev, ip::Address dst, Mac lladdr, std::string pod,
                        bool adopt, SourceRange range) {
    Neighbor n;
    n.netns = std::move(netns);
    n.dev = std::move(dev);
    n.dst = dst;
    n.lladdr = lladdr;
    n.state = kernel::kNudPermanent;
    n.protocol = kOwnedProtocol;
    wrap(n, std::move(pod), adopt, range);
    return n;
}

}  // namespace podnetc::ir
