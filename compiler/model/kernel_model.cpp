#include "compiler/model/kernel_model.hpp"

#include <algorithm>
#include <tuple>

#include "compiler/objects/ownership.hpp"
#include "compiler/steps/plan_specs.hpp"

namespace podnetc::plan {
namespace {

bool same_subnet(const ip::Prefix& a, const ip::Prefix& b) {
    return a.len == b.len && a.network() == b.network();
}

template <class T, class Pred>
std::vector<Change<T>> filtered(const std::vector<Change<T>>& changes, Pred keep) {
    std::vector<Change<T>> out;
    for (const auto& c : changes) {
        if (keep(c)) out.push_back(c);
    }
    return out;
}

}  // namespace

bool left_to_kernel(const live::Link& link) { return live::kernel_made(link); }

bool left_to_kernel(const live::Address& address) { return live::kernel_made(address) || on_loopback(address); }

bool left_to_kernel(const live::Route& route) { return live::kernel_made(route) || route.table == kLocalTable; }

bool on_loopback(const live::Address& address) { return address.dev == "lo"; }

Changes without_kernel_made(const Changes& changes) {
    Changes out;
    out.namespaces = changes.namespaces;
    out.links = filtered(changes.links, [](const Change<live::Link>& c) {
        // A `lo` that was there stays: how a re-created namespace gets it back.
        return c.before || !left_to_kernel(*c.after);
    });
    out.addresses = filtered(changes.addresses, [](const Change<live::Address>& c) {
        const live::Address& a = c.before ? *c.before : *c.after;
        // lo's addresses stay when they come or go (they do with a re-created
        // namespace); their attributes are the kernel's.
        return !left_to_kernel(a) || (on_loopback(a) && !(c.before && c.after));
    });
    out.routes = filtered(changes.routes, [](const Change<live::Route>& c) {
        return !left_to_kernel(c.before ? *c.before : *c.after);
    });
    out.neighbors = changes.neighbors;
    return out;
}

bool same(const live::Netns& a, const live::Netns& b) { return a.name == b.name && a.owned == b.owned; }

bool same(const live::Link& a, const live::Link& b) {
    return std::tie(a.netns, a.name, a.kind, a.peer_netns, a.peer_name, a.master, a.mac, a.mtu,
                    a.group, a.proxy_arp, a.forwarding, a.proxy_delay_ms) ==
               std::tie(b.netns, b.name, b.kind, b.peer_netns, b.peer_name, b.master, b.mac, b.mtu,
                        b.group, b.proxy_arp, b.forwarding, b.proxy_delay_ms) &&
           a.up() == b.up();
}

bool same(const live::Address& a, const live::Address& b) {
    return std::tie(a.netns, a.dev, a.local, a.peer, a.scope, a.protocol) ==
           std::tie(b.netns, b.dev, b.local, b.peer, b.scope, b.protocol);
}

bool same(const live::Route& a, const live::Route& b) {
    return std::tie(a.netns, a.table, a.dst, a.metric, a.gateway, a.dev, a.scope, a.protocol, a.type,
                    a.prefsrc) == std::tie(b.netns, b.table, b.dst, b.metric, b.gateway, b.dev,
                                           b.scope, b.protocol, b.type, b.prefsrc) &&
           (a.flags & kOnlink) == (b.flags & kOnlink);
}

bool same(const live::Neighbor& a, const live::Neighbor& b) {
    return std::tie(a.netns, a.dev, a.dst, a.lladdr, a.state, a.protocol) ==
           std::tie(b.netns, b.dev, b.dst, b.lladdr, b.state, b.protocol);
}

void RouteDevIndex::added(const RouteKey& key, const live::Route& route) {
    by_dev[{route.netns, route.dev}].insert(key);
}

void RouteDevIndex::removed(const RouteKey& key, const live::Route& route) {
    const auto it = by_dev.find({route.netns, route.dev});
    if (it == by_dev.end()) return;
    it->second.erase(key);
    if (it->second.empty()) by_dev.erase(it);
}

KernelModel::KernelModel(const live::State& state) : ip_forward_(state.ip_forward) {
    for (const auto& n : state.namespaces) namespaces_.load(n.name, n);
    namespaces_.load("", live::Netns{"", false, {}});
    for (const auto& l : state.links) links_.load(key_of(l), l);
    for (const auto& a : state.addresses) addresses_.load(key_of(a), a);
    for (const auto& r : state.routes) routes_.load(key_of(r), r);
    for (const auto& n : state.neighbors) neighbors_.load(key_of(n), n);
}

// ---- steps ------------------------------------------------------------------

void KernelModel::apply(const Step& step) {
    switch (step.kind()) {
        case StepKind::create_netns: create_netns(plan::object_of<NetnsSpec>(step)); return;
        case StepKind::delete_netns: delete_netns(plan::object_of<NetnsSpec>(step).name); return;
        case StepKind::register_netns:
        case StepKind::unregister_netns: {
            const auto& name = plan::object_of<NetnsSpec>(step).name;
            if (const live::Netns* n = netns(name)) {
                live::Netns next = *n;
                next.owned = step.kind() == StepKind::register_netns;
                namespaces_.put(name, next);
            }
            return;
        }
        case StepKind::create_link: create_link(plan::object_of<LinkCreate>(step)); return;
        case StepKind::change_link: change_link(plan::object_of<LinkChange>(step)); return;
        case StepKind::delete_link: {
            const auto& spec = plan::object_of<LinkDelete>(step);
            if (!spec.group) {
                delete_link(spec.netns, spec.name);
                return;
            }
            std::vector<std::string> names;  // deleting one end of a pair may delete another
            for (const live::Link* l : links_in(spec.netns)) {
                if (l->group == *spec.group && !left_to_kernel(*l)) names.push_back(l->name);
            }
            for (const auto& name : names) delete_link(spec.netns, name);
            return;
        }
        case StepKind::set_neigh_parms: {
            const auto& spec = plan::object_of<NeighParms>(step);
            if (const live::Link* l = link(spec.netns, spec.dev)) {
                live::Link next = *l;
                next.proxy_delay_ms = spec.proxy_delay_ms;
                links_.put(key_of(next), next);
            }
            return;
        }
        case StepKind::add_address: add_address(plan::object_of<kernel::Address>(step)); return;
        case StepKind::replace_address: {
            const auto& spec = plan::object_of<kernel::Address>(step);
            const AddressKey key{spec.netns, spec.dev, spec.local};
            if (const live::Address* a = addresses_.find(key)) {
                live::Address next = *a;
                next.protocol = spec.protocol;
                next.scope = spec.scope;
                addresses_.put(key, next);
            } else {
                add_address(spec);
            }
            return;
        }
        case StepKind::delete_address: {
            const auto& spec = plan::object_of<kernel::Address>(step);
            delete_address(AddressKey{spec.netns, spec.dev, spec.local});
            return;
        }
        case StepKind::add_route:
        case StepKind::replace_route: {
            const live::Route r = request(plan::object_of<kernel::Route>(step));
            routes_.put(key_of(r), r);
            return;
        }
        case StepKind::delete_route: routes_.erase(key_of(request(plan::object_of<kernel::Route>(step)))); return;
        case StepKind::add_neighbor:
        case StepKind::replace_neighbor: {
            const live::Neighbor n = request(plan::object_of<kernel::Neighbor>(step));
            neighbors_.put(key_of(n), n);
            return;
        }
        case StepKind::delete_neighbor:
            neighbors_.erase(key_of(request(plan::object_of<kernel::Neighbor>(step))));
            return;
    }
}

void KernelModel::create_netns(const NetnsSpec& spec) {
    if (netns(spec.name) != nullptr) return;
    namespaces_.put(spec.name, live::Netns{spec.name, true, {}});
    live::Link lo;
    lo.netns = spec.name;
    lo.name = "lo";
    lo.mtu = kLoopbackMtu;
    lo.flags = kIffLoopback;
    if (spec.lo_up) lo.flags |= kIffUp;  // in the same step (runtime/apply/kernel_transport.cpp)
    links_.put(key_of(lo), lo);
    if (spec.lo_up) add_loopback_address(lo);
}

void KernelModel::delete_netns(const std::string& name) {
    if (name.empty() || netns(name) == nullptr) return;
    std::vector<std::string> names;
    for (const live::Link* l : links_in(name)) names.push_back(l->name);
    for (const auto& n : names) delete_link(name, n);
    for (const live::Address* a : addresses_in(name)) addresses_.erase(key_of(*a));
    for (const live::Route* r : routes_in(name)) routes_.erase(key_of(*r));
    for (const live::Neighbor* n : neighbors_in(name)) neighbors_.erase(key_of(*n));
    namespaces_.erase(name);
}

void KernelModel::create_link(const LinkCreate& spec) {
    live::Link end;
    end.netns = spec.end.netns;
    end.name = spec.end.name;
    end.kind = std::string(spec.kind);
    end.master = spec.master;
    end.mac = spec.end.mac;
    end.mtu = spec.end.mtu != 0 ? spec.end.mtu : kDefaultMtu;
    end.flags = spec.up ? kIffUp : 0;
    end.group = spec.end.group;
    if (spec.kind == kernel::kVeth && spec.peer) {
        live::Link peer;
        peer.netns = spec.peer->netns;
        peer.name = spec.peer->name;
        peer.kind = end.kind;
        peer.peer_netns = end.netns;
        peer.peer_name = end.name;
        peer.mac = spec.peer->mac;
        peer.mtu = spec.peer->mtu != 0 ? spec.peer->mtu : kDefaultMtu;
        peer.group = spec.peer->group;
        end.peer_netns = peer.netns;
        end.peer_name = peer.name;
        links_.put(key_of(peer), peer);
    }
    links_.put(key_of(end), end);
}

void KernelModel::change_link(const LinkChange& spec) {
    const live::Link* current = link(spec.netns, spec.name);
    if (current == nullptr) return;
    live::Link next = *current;
    const bool was_up = current->up();
    const bool mac_changed = spec.mac && current->mac != spec.mac;
    if (spec.up) next.flags = *spec.up ? (next.flags | kIffUp) : (next.flags & ~kIffUp);
    if (spec.mtu) next.mtu = *spec.mtu;
    if (spec.mac) next.mac = spec.mac;
    if (spec.master) next.master = *spec.master;
    if (spec.group) next.group = *spec.group;
    if (spec.proxy_arp) next.proxy_arp = spec.proxy_arp;
    if (spec.forwarding) next.forwarding = spec.forwarding;
    const bool now_up = next.up();
    links_.put(key_of(next), next);
    if (was_up && !now_up) {
        flush_device(spec.netns, spec.name);  // fib_disable_ip: routes and ARP entries
    } else if (mac_changed) {
        flush_neighbors(spec.netns, spec.name);  // NETDEV_CHANGEADDR: neigh_changeaddr
    }
    if (!was_up && now_up) {
        for (const live::Address* a : addresses_on(spec.netns, spec.name)) {
            if ((a->flags & kIfaSecondary) == 0) add_prefix_route(*a);
        }
        if (left_to_kernel(next)) add_loopback_address(next);
    }
}

void KernelModel::delete_link(const std::string& netns_name, const std::string& name) {
    const live::Link* l = link(netns_name, name);
    if (l == nullptr) return;
    std::vector<live::Link> gone{*l};
    if (l->kind == "veth") {
        if (const live::Link* p = peer_of(*l)) gone.push_back(*p);
    }
    for (const auto& g : gone) remove_device(g);
}

void KernelModel::remove_device(const live::Link& device) {
    std::vector<live::Address> addresses;
    for (const live::Address* a : addresses_on(device.netns, device.name)) addresses.push_back(*a);
    for (const auto& a : addresses) addresses_.erase(key_of(a));
    for (const auto& a : addresses) forget_prefsrc(device.netns, a.local.addr);
    flush_device(device.netns, device.name);
    if (device.kind == "bridge") {
        for (const live::Link* port : ports_of(device.netns, device.name)) {
            live::Link released = *port;
            released.master.clear();
            links_.put(key_of(released), released);
        }
    }
    links_.erase(key_of(device));
}

void KernelModel::add_address(const kernel::Address& spec) {
    live::Address a = observed(spec);
    bool secondary = false;
    for (const live::Address* other : addresses_on(spec.netns, spec.dev)) {
        if ((other->flags & kIfaSecondary) == 0 && other->local != a.local &&
            same_subnet(other->local, a.local)) {
            secondary = true;
        }
    }
    if (secondary) a.flags |= kIfaSecondary;
    addresses_.put(key_of(a), a);
    const live::Link* dev = link(spec.netns, spec.dev);
    if (!secondary && dev != nullptr && dev->up()) add_prefix_route(a);
}

void KernelModel::delete_address(const AddressKey& key) {
    const live::Address* found = addresses_.find(key);
    if (found == nullptr) return;
    const live::Address gone = *found;
    addresses_.erase(key);
    std::vector<ip::Address> locals{gone.local.addr};
    if ((gone.flags & kIfaSecondary) == 0) {
        std::vector<AddressKey> secondaries;
        for (const live::Address* a : addresses_on(key.netns, key.dev)) {
            if ((a->flags & kIfaSecondary) != 0 && same_subnet(a->local, gone.local)) {
                secondaries.push_back(key_of(*a));
                locals.push_back(a->local.addr);
            }
        }
        for (const auto& s : secondaries) addresses_.erase(s);
        const RouteKey prefix{key.netns, kMainTable, ip::Prefix{gone.local.network(), gone.local.len}, 0};
        const live::Route* r = routes_.find(prefix);
        if (r != nullptr && r->protocol == kProtoKernel && r->dev == key.dev) routes_.erase(prefix);
    }
    for (const ip::Address local : locals) forget_prefsrc(key.netns, local);
    if (addresses_on(key.netns, key.dev).empty()) flush_device(key.netns, key.dev);
}

void KernelModel::forget_prefsrc(const std::string& netns_name, ip::Address local) {
    for (const live::Address* a : addresses_in(netns_name)) {
        if (a->local.addr == local) return;  // still a local address of the namespace
    }
    for (const live::Route* r : routes_in(netns_name)) {
        if (r->prefsrc == local) routes_.erase(key_of(*r));
    }
}

void KernelModel::flush_device(const std::string& netns_name, const std::string& dev) {
    for (const live::Route* r : routes_via(netns_name, dev)) routes_.erase(key_of(*r));
    flush_neighbors(netns_name, dev);
}

void KernelModel::flush_neighbors(const std::string& netns_name, const std::string& dev) {
    for (const live::Neighbor* n : neighbors_on(netns_name, dev)) neighbors_.erase(key_of(*n));
}

// inetdev_event(NETDEV_UP) on a loopback device: 127.0.0.1/8 scope host, unless
// it is there (it stays when lo goes down).
void KernelModel::add_loopback_address(const live::Link& lo) {
    live::Address a;
    a.netns = lo.netns;
    a.dev = lo.name;
    a.ifindex = kLoopbackIfindex;
    a.local = ip::Prefix{ip::Address::v4(kLoopbackAddress), kLoopbackPrefixLen};
    a.scope = kScopeHost;
    a.flags = kIfaPermanent;
    a.protocol = kIfaProtoKernelLo;
    if (addresses_.find(key_of(a)) == nullptr) addresses_.put(key_of(a), a);
}

void KernelModel::add_prefix_route(const live::Address& address) {
    if (address.local.len >= 32 || address.dev == "lo") return;
    live::Route r;
    r.netns = address.netns;
    r.table = kMainTable;
    r.dst = ip::Prefix{address.local.network(), address.local.len};
    r.dev = address.dev;
    r.scope = kScopeLink;
    r.protocol = kProtoKernel;
    r.type = kRouteUnicast;
    r.prefsrc = address.local.addr;
    if (routes_.find(key_of(r)) == nullptr) routes_.put(key_of(r), r);
}

// ---- journal ----------------------------------------------------------------

KernelModel::Mark KernelModel::mark() const {
    return Mark{namespaces_.mark(), links_.mark(), addresses_.mark(), routes_.mark(), neighbors_.mark()};
}

void KernelModel::rollback(const Mark& m) {
    neighbors_.rollback(m.neighbors);
    routes_.rollback(m.routes);
    addresses_.rollback(m.addresses);
    links_.rollback(m.links);
    namespaces_.rollback(m.namespaces);
}

void KernelModel::commit() {
    namespaces_.commit();
    links_.commit();
    addresses_.commit();
    routes_.commit();
    neighbors_.commit();
}

Changes KernelModel::changes_since(const Mark& m) const {
    const auto eq = [](const auto& a, const auto& b) { return same(a, b); };
    Changes c;
    c.namespaces = namespaces_.changes_since(m.namespaces, eq);
    c.links = links_.changes_since(m.links, eq);
    c.addresses = addresses_.changes_since(m.addresses, eq);
    c.routes = routes_.changes_since(m.routes, eq);
    c.neighbors = neighbors_.changes_since(m.neighbors, eq);
    return c;
}

// ---- queries ----------------------------------------------------------------

const live::Netns* KernelModel::netns(std::string_view name) const {
    return namespaces_.find(std::string(name));
}

const live::Link* KernelModel::link(std::string_view netns_name, std::string_view name) const {
    return links_.find(LinkKey{std::string(netns_name), std::string(name)});
}

const live::Link* KernelModel::peer_of(const live::Link& l) const {
    if (l.kind != "veth" || l.peer_name.empty() || l.peer_netns == "?") return nullptr;
    return link(l.peer_netns, l.peer_name);
}

const live::Address* KernelModel::address(const AddressKey& key) const { return addresses_.find(key); }
const live::Route* KernelModel::route(const RouteKey& key) const { return routes_.find(key); }
const live::Neighbor* KernelModel::neighbor(const NeighborKey& key) const { return neighbors_.find(key); }

std::vector<std::string> KernelModel::namespace_names() const {
    std::vector<std::string> out;
    for (const auto& [name, n] : namespaces_.rows()) out.push_back(name);
    return out;
}

std::vector<const live::Link*> KernelModel::links_in(std::string_view netns_name) const {
    std::vector<const live::Link*> out;
    const auto& rows = links_.rows();
    for (auto it = rows.lower_bound(LinkKey{std::string(netns_name), ""});
         it != rows.end() && it->first.netns == netns_name; ++it) {
        out.push_back(&it->second);
    }
    return out;
}

std::vector<const live::Link*> KernelModel::ports_of(std::string_view netns_name,
                                                     std::string_view bridge) const {
    std::vector<const live::Link*> out;
    for (const live::Link* l : links_in(netns_name)) {
        if (l->master == bridge) out.push_back(l);
    }
    return out;
}

std::vector<const live::Address*> KernelModel::addresses_in(std::string_view netns_name) const {
    std::vector<const live::Address*> out;
    const auto& rows = addresses_.rows();
    for (auto it = rows.lower_bound(AddressKey{std::string(netns_name), "", ip::Prefix{ip::Address::v4(0), 0}});
         it != rows.end() && it->first.netns == netns_name; ++it) {
        out.push_back(&it->second);
    }
    return out;
}

std::vector<const live::Address*> KernelModel::addresses_on(std::string_view netns_name,
                                                            std::string_view dev) const {
    std::vector<const live::Address*> out;
    const auto& rows = addresses_.rows();
    for (auto it = rows.lower_bound(
             AddressKey{std::string(netns_name), std::string(dev), ip::Prefix{ip::Address::v4(0), 0}});
         it != rows.end() && it->first.netns == netns_name && it->first.dev == dev; ++it) {
        out.push_back(&it->second);
    }
    return out;
}

std::vector<const live::Route*> KernelModel::routes_in(std::string_view netns_name) const {
    std::vector<const live::Route*> out;
    const auto& rows = routes_.rows();
    for (auto it = rows.lower_bound(RouteKey{std::string(netns_name), 0, ip::Prefix{ip::Address::v4(0), 0}, 0});
         it != rows.end() && it->first.netns == netns_name; ++it) {
        out.push_back(&it->second);
    }
    return out;
}

std::vector<const live::Route*> KernelModel::routes_via(std::string_view netns_name,
                                                        std::string_view dev) const {
    std::vector<const live::Route*> out;
    const auto& index = routes_.index().by_dev;
    const auto it = index.find({std::string(netns_name), std::string(dev)});
    if (it == index.end()) return out;
    for (const RouteKey& key : it->second) out.push_back(routes_.find(key));
    return out;
}

std::vector<const live::Neighbor*> KernelModel::neighbors_in(std::string_view netns_name) const {
    std::vector<const live::Neighbor*> out;
    const auto& rows = neighbors_.rows();
    for (auto it = rows.lower_bound(NeighborKey{std::string(netns_name), "", ip::Address::v4(0)});
         it != rows.end() && it->first.netns == netns_name; ++it) {
        out.push_back(&it->second);
    }
    return out;
}

std::vector<const live::Neighbor*> KernelModel::neighbors_on(std::string_view netns_name,
                                                             std::string_view dev) const {
    std::vector<const live::Neighbor*> out;
    const auto& rows = neighbors_.rows();
    for (auto it = rows.lower_bound(NeighborKey{std::string(netns_name), std::string(dev), ip::Address::v4(0)});
         it != rows.end() && it->first.netns == netns_name && it->first.dev == dev; ++it) {
        out.push_back(&it->second);
    }
    return out;
}

bool KernelModel::owned(const live::Link& l) const {
    if (is_owned(l)) return true;
    const live::Link* p = peer_of(l);
    return p != nullptr && is_owned(*p) && p->peer_netns == l.netns && p->peer_name == l.name;
}

live::State KernelModel::state() const {
    live::State s;
    for (const auto& [k, v] : namespaces_.rows()) s.namespaces.push_back(v);
    for (const auto& [k, v] : links_.rows()) s.links.push_back(v);
    for (const auto& [k, v] : addresses_.rows()) s.addresses.push_back(v);
    for (const auto& [k, v] : routes_.rows()) s.routes.push_back(v);
    for (const auto& [k, v] : neighbors_.rows()) s.neighbors.push_back(v);
    s.ip_forward = ip_forward_;
    return s;
}

}  // namespace podnetc::plan
