#include "tests/unit/apply/kernel_sim.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "compiler/steps/plan_specs.hpp"

namespace podnetc::test {
namespace {

constexpr std::uint32_t kUp = 0x1, kLoopback = 0x8;
constexpr std::uint32_t kSecondary = 0x01, kPermanent = 0x80;
constexpr std::uint8_t kProtoKernel = 2;
constexpr std::uint32_t kMain = 254, kLocal = 255;
constexpr std::uint32_t kOnlinkFlag = 4;

bool same_subnet(const ip::Prefix& a, const ip::Prefix& b) { return a.len == b.len && a.network() == b.network(); }

template <class T, class Pred>
void erase_if(std::vector<T>& v, Pred pred) {
    v.erase(std::remove_if(v.begin(), v.end(), pred), v.end());
}

}  // namespace

KernelSim::KernelSim(live::State state) : s_(std::move(state)) {
    if (!has_netns("")) s_.namespaces.insert(s_.namespaces.begin(), live::Netns{"", false, {}});
    for (const auto& l : s_.links) next_ifindex_ = std::max(next_ifindex_, l.ifindex + 1);
}

bool KernelSim::has_netns(const std::string& name) const {
    return std::any_of(s_.namespaces.begin(), s_.namespaces.end(), [&](const live::Netns& n) { return n.name == name; });
}

live::Link* KernelSim::find_link(const std::string& netns, const std::string& name) {
    for (auto& l : s_.links) {
        if (l.netns == netns && l.name == name) return &l;
    }
    return nullptr;
}

std::string KernelSim::apply_all(const std::vector<plan::Step>& steps) {
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const std::string error = apply(steps[i]);
        if (!error.empty()) return fmt::format("step {} ({}): {}", i, plan::step_kind_name(steps[i].kind()), error);
    }
    return "";
}

std::string KernelSim::apply(const plan::Step& step) {
    using plan::StepKind;
    const live::State saved = s_;
    std::string error;
    switch (step.kind()) {
        case StepKind::create_netns: error = create_netns(plan::object_of<plan::NetnsSpec>(step)); break;
        case StepKind::delete_netns: error = delete_netns(plan::object_of<plan::NetnsSpec>(step).name); break;
        case StepKind::register_netns:
        case StepKind::unregister_netns: {
            const auto& name = plan::object_of<plan::NetnsSpec>(step).name;
            error = "ENOENT";
            for (auto& n : s_.namespaces) {
                if (n.name == name && !name.empty()) {
                    n.owned = step.kind() == StepKind::register_netns;
                    error.clear();
                }
            }
            break;
        }
        case StepKind::create_link: error = create_link(plan::object_of<plan::LinkCreate>(step)); break;
        case StepKind::change_link: error = change_link(plan::object_of<plan::LinkChange>(step)); break;
        case StepKind::delete_link: error = delete_link(plan::object_of<plan::LinkDelete>(step)); break;
        case StepKind::set_neigh_parms: {
            const auto& p = plan::object_of<plan::NeighParms>(step);
            live::Link* l = find_link(p.netns, p.dev);
            if (l == nullptr) {
                error = "ENODEV";
            } else {
                l->proxy_delay_ms = p.proxy_delay_ms;
            }
            break;
        }
        case StepKind::add_address: error = add_address(plan::object_of<kernel::Address>(step), false); break;
        case StepKind::replace_address: error = add_address(plan::object_of<kernel::Address>(step), true); break;
        case StepKind::delete_address: error = delete_address(plan::object_of<kernel::Address>(step)); break;
        case StepKind::add_route: error = add_route(plan::object_of<kernel::Route>(step), false); break;
        case StepKind::replace_route: error = add_route(plan::object_of<kernel::Route>(step), true); break;
        case StepKind::delete_route: error = delete_route(plan::object_of<kernel::Route>(step)); break;
        // Sent as a replace too (netlink_encode.cpp: learned entries come and go).
        case StepKind::add_neighbor: error = add_neighbor(plan::object_of<kernel::Neighbor>(step), true); break;
        case StepKind::replace_neighbor: error = add_neighbor(plan::object_of<kernel::Neighbor>(step), true); break;
        case StepKind::delete_neighbor: error = delete_neighbor(plan::object_of<kernel::Neighbor>(step)); break;
    }
    if (!error.empty()) s_ = saved;
    return error;
}

std::string KernelSim::create_netns(const plan::NetnsSpec& spec) {
    const std::string& name = spec.name;
    if (name.empty() || has_netns(name)) return "EEXIST";
    s_.namespaces.push_back(live::Netns{name, true, {}});
    live::Link lo;
    lo.netns = name;
    lo.ifindex = 1;
    lo.name = "lo";
    lo.mac = Mac{};
    lo.mtu = 65536;
    lo.flags = kLoopback;
    lo.proxy_arp = false;  // a new namespace's defaults
    lo.forwarding = false;
    lo.proxy_delay_ms = 80;
    // The step brings lo up as well (kernel_transport.cpp); an up lo gets 127.0.0.1/8.
    if (spec.lo_up) lo.flags |= kUp;
    s_.links.push_back(lo);
    if (spec.lo_up) device_up(lo);
    return "";
}

std::string KernelSim::delete_netns(const std::string& name) {
    if (name.empty() || !has_netns(name)) return "ENOENT";
    std::vector<std::string> names;
    for (const auto& l : s_.links) {
        if (l.netns == name) names.push_back(l.name);
    }
    for (const auto& n : names) {
        if (find_link(name, n) != nullptr) unregister_device(name, n);
    }
    erase_if(s_.addresses, [&](const live::Address& a) { return a.netns == name; });
    erase_if(s_.routes, [&](const live::Route& r) { return r.netns == name; });
    erase_if(s_.neighbors, [&](const live::Neighbor& n) { return n.netns == name; });
    erase_if(s_.namespaces, [&](const live::Netns& n) { return n.name == name; });
    return "";
}

std::string KernelSim::create_link(const plan::LinkCreate& spec) {
    const bool veth = spec.kind == kernel::kVeth;
    if (!has_netns(spec.end.netns)) return "ENODEV";
    if (find_link(spec.end.netns, spec.end.name) != nullptr) return "EEXIST";
    if (veth) {
        if (!spec.peer) return "EINVAL";
        if (!has_netns(spec.peer->netns)) return "ENODEV";
        if (find_link(spec.peer->netns, spec.peer->name) != nullptr) return "EEXIST";
        if (spec.peer->netns == spec.end.netns && spec.peer->name == spec.end.name) return "EEXIST";
    }
    if (!spec.master.empty()) {
        const live::Link* master = find_link(spec.end.netns, spec.master);
        if (master == nullptr) return "ENODEV";
        if (master->kind != "bridge") return "EOPNOTSUPP";
    }
    const auto make = [&](const plan::LinkEnd& end) {
        live::Link l;
        l.netns = end.netns;
        l.ifindex = next_ifindex_++;
        l.name = end.name;
        l.kind = std::string(spec.kind);
        if (end.mac) {
            l.mac = end.mac;
        } else {
            Mac mac;
            mac.bytes = {0x02, 0x5a, 0x00, 0x00, static_cast<std::uint8_t>(next_mac_ >> 8),
                         static_cast<std::uint8_t>(next_mac_ & 0xff)};
            ++next_mac_;
            l.mac = mac;
        }
        l.mtu = end.mtu != 0 ? end.mtu : 1500;
        l.group = end.group;
        l.proxy_arp = false;
        l.forwarding = false;
        l.proxy_delay_ms = 80;
        return l;
    };
    live::Link end = make(spec.end);
    end.master = spec.master;
    if (spec.up) end.flags |= kUp;
    if (veth) {
        live::Link peer = make(*spec.peer);
        peer.peer_netns = end.netns;
        peer.peer_name = end.name;
        end.peer_netns = peer.netns;
        end.peer_name = peer.name;
        s_.links.push_back(peer);
    }
    s_.links.push_back(end);
    return "";
}

void KernelSim::device_up(const live::Link& link) {
    if ((link.flags & kLoopback) != 0) {
        const bool has_loopback_address = std::any_of(s_.addresses.begin(), s_.addresses.end(), [&](const live::Address& a) {
            return a.netns == link.netns && a.dev == link.name;
        });
        if (!has_loopback_address) {
            live::Address a;
            a.netns = link.netns;
            a.dev = link.name;
            a.local = ip::Prefix{ip::Address::v4(0x7f000001), 8};
            a.scope = 254;
            a.flags = kPermanent;
            a.protocol = 1;  // IFAPROT_KERNEL_LO
            s_.addresses.push_back(a);
            add_kernel_routes(a);
        }
        return;
    }
    const std::vector<live::Address> addresses = s_.addresses;
    for (const auto& a : addresses) {
        if (a.netns == link.netns && a.dev == link.name && (a.flags & kSecondary) == 0) add_kernel_routes(a);
    }
}

std::string KernelSim::change_link(const plan::LinkChange& spec) {
    live::Link* l = find_link(spec.netns, spec.name);
    if (l == nullptr) return "ENODEV";
    if (spec.master && !spec.master->empty()) {
        const live::Link* master = find_link(spec.netns, *spec.master);
        if (master == nullptr) return "ENODEV";
        if (master->kind != "bridge" || master == l) return "EOPNOTSUPP";
    }
    const bool was_up = (l->flags & kUp) != 0;
    const bool mac_changed = spec.mac && spec.mac != l->mac;
    if (spec.mtu) l->mtu = *spec.mtu;
    if (spec.mac) l->mac = spec.mac;
    if (spec.master) l->master = *spec.master;
    if (spec.group) l->group = *spec.group;
    if (spec.proxy_arp) l->proxy_arp = spec.proxy_arp;
    if (spec.forwarding) l->forwarding = spec.forwarding;
    if (spec.up) l->flags = *spec.up ? (l->flags | kUp) : (l->flags & ~kUp);
    const live::Link now = *l;
    const bool is_up = (now.flags & kUp) != 0;
    if (was_up && !is_up) {
        drop_routes_via(now.netns, now.name);
        drop_neighbors_on(now.netns, now.name);
    } else if (mac_changed) {
        drop_neighbors_on(now.netns, now.name);
    }
    if (!was_up && is_up) device_up(now);
    return "";
}

std::string KernelSim::delete_link(const plan::LinkDelete& spec) {
    if (spec.group) {
        std::vector<std::string> names;
        for (const auto& l : s_.links) {
            if (l.netns == spec.netns && l.group == *spec.group) names.push_back(l.name);
        }
        for (const auto& n : names) {
            if (find_link(spec.netns, n) != nullptr) unregister_device(spec.netns, n);
        }
        return "";
    }
    if (find_link(spec.netns, spec.name) == nullptr) return "ENODEV";
    unregister_device(spec.netns, spec.name);
    return "";
}

void KernelSim::unregister_device(const std::string& netns, const std::string& name) {
    const live::Link gone = *find_link(netns, name);
    std::vector<live::Link> devices{gone};
    if (gone.kind == "veth") {
        if (live::Link* peer = find_link(gone.peer_netns, gone.peer_name)) devices.push_back(*peer);
    }
    for (const auto& d : devices) {
        std::vector<ip::Address> locals;
        for (const auto& a : s_.addresses) {
            if (a.netns == d.netns && a.dev == d.name) locals.push_back(a.local.addr);
        }
        erase_if(s_.addresses, [&](const live::Address& a) { return a.netns == d.netns && a.dev == d.name; });
        for (const ip::Address local : locals) {
            const bool still_local = std::any_of(s_.addresses.begin(), s_.addresses.end(), [&](const live::Address& a) {
                return a.netns == d.netns && a.local.addr == local;
            });
            if (!still_local) erase_if(s_.routes, [&](const live::Route& r) { return r.netns == d.netns && r.prefsrc == local; });
        }
        drop_routes_via(d.netns, d.name);
        drop_neighbors_on(d.netns, d.name);
        for (auto& port : s_.links) {
            if (d.kind == "bridge" && port.netns == d.netns && port.master == d.name) port.master.clear();
        }
        erase_if(s_.links, [&](const live::Link& l) { return l.netns == d.netns && l.name == d.name; });
    }
}

void KernelSim::add_kernel_routes(const live::Address& a) {
    live::Route local;
    local.netns = a.netns;
    local.table = kLocal;
    local.dst = ip::Prefix{a.local.addr, 32};
    local.dev = a.dev;
    local.scope = 254;
    local.protocol = kProtoKernel;
    local.type = 2;
    local.prefsrc = a.local.addr;
    const auto exists = [&](const live::Route& r) {
        return std::any_of(s_.routes.begin(), s_.routes.end(), [&](const live::Route& o) {
            return o.netns == r.netns && o.table == r.table && o.dst == r.dst && o.metric == r.metric;
        });
    };
    if (!exists(local)) s_.routes.push_back(local);
    if (a.local.len >= 32 || a.dev == "lo") return;  // lo's subnet route is a local-table one
    live::Route prefix;
    prefix.netns = a.netns;
    prefix.table = kMain;
    prefix.dst = ip::Prefix{a.local.network(), a.local.len};
    prefix.dev = a.dev;
    prefix.scope = 253;
    prefix.protocol = kProtoKernel;
    prefix.prefsrc = a.local.addr;
    if (!exists(prefix)) s_.routes.push_back(prefix);
}

std::string KernelSim::add_address(const kernel::Address& spec, bool replace) {
    const live::Link* dev = find_link(spec.netns, spec.dev);
    if (dev == nullptr) return "ENODEV";
    for (auto& a : s_.addresses) {
        if (a.netns == spec.netns && a.dev == spec.dev && a.local == spec.local) {
            if (!replace) return "EEXIST";
            a.protocol = spec.protocol;
            a.scope = spec.scope;
            return "";
        }
    }
    live::Address a = plan::observed(spec);
    a.ifindex = dev->ifindex;
    const bool secondary = std::any_of(s_.addresses.begin(), s_.addresses.end(), [&](const live::Address& o) {
        return o.netns == a.netns && o.dev == a.dev && (o.flags & kSecondary) == 0 && same_subnet(o.local, a.local);
    });
    if (secondary) a.flags |= kSecondary;
    s_.addresses.push_back(a);
    if (!secondary && (dev->flags & kUp) != 0) add_kernel_routes(a);
    return "";
}

void KernelSim::remove_address_at(std::size_t index) {
    const live::Address gone = s_.addresses[index];
    s_.addresses.erase(s_.addresses.begin() + static_cast<std::ptrdiff_t>(index));
    std::vector<live::Address> removed{gone};
    if ((gone.flags & kSecondary) == 0) {  // promote_secondaries is off
        for (const auto& a : s_.addresses) {
            if (a.netns == gone.netns && a.dev == gone.dev && (a.flags & kSecondary) != 0 && same_subnet(a.local, gone.local)) {
                removed.push_back(a);
            }
        }
        erase_if(s_.addresses, [&](const live::Address& a) {
            return a.netns == gone.netns && a.dev == gone.dev && (a.flags & kSecondary) != 0 && same_subnet(a.local, gone.local);
        });
        erase_if(s_.routes, [&](const live::Route& r) {
            return r.netns == gone.netns && r.table == kMain && r.protocol == kProtoKernel && r.dev == gone.dev &&
                   r.dst == ip::Prefix{gone.local.network(), gone.local.len};
        });
    }
    for (const auto& a : removed) {
        const bool still_local = std::any_of(s_.addresses.begin(), s_.addresses.end(), [&](const live::Address& o) {
            return o.netns == a.netns && o.local.addr == a.local.addr;
        });
        if (still_local) continue;
        erase_if(s_.routes, [&](const live::Route& r) {
            return r.netns == a.netns && (r.prefsrc == a.local.addr || (r.table == kLocal && r.dst.addr == a.local.addr));
        });
    }
    const bool last = std::none_of(s_.addresses.begin(), s_.addresses.end(), [&](const live::Address& a) {
        return a.netns == gone.netns && a.dev == gone.dev;
    });
    if (last) {  // fib_disable_ip: the device has no IPv4 address left
        drop_routes_via(gone.netns, gone.dev);
        drop_neighbors_on(gone.netns, gone.dev);
    }
}

std::string KernelSim::delete_address(const kernel::Address& spec) {
    for (std::size_t i = 0; i < s_.addresses.size(); ++i) {
        const auto& a = s_.addresses[i];
        if (a.netns == spec.netns && a.dev == spec.dev && a.local == spec.local) {
            remove_address_at(i);
            return "";
        }
    }
    return "EADDRNOTAVAIL";
}

void KernelSim::drop_routes_via(const std::string& netns, const std::string& dev) {
    erase_if(s_.routes, [&](const live::Route& r) { return r.netns == netns && r.dev == dev; });
}

void KernelSim::drop_neighbors_on(const std::string& netns, const std::string& dev) {
    erase_if(s_.neighbors, [&](const live::Neighbor& n) { return n.netns == netns && n.dev == dev; });
}

std::string KernelSim::add_route(const kernel::Route& spec, bool replace) {
    if (!has_netns(spec.netns)) return "ENODEV";
    if (!spec.dev.empty()) {
        const live::Link* dev = find_link(spec.netns, spec.dev);
        if (dev == nullptr) return "ENODEV";
        if ((dev->flags & kUp) == 0) return "ENETDOWN";
    }
    if (spec.gateway && !spec.onlink()) {
        // fib_check_nh: the gateway must be on a link-scope route out of the same device.
        const bool reachable = std::any_of(s_.routes.begin(), s_.routes.end(), [&](const live::Route& r) {
            return r.netns == spec.netns && r.table == kMain && !r.gateway && r.scope == 253 && r.dev == spec.dev &&
                   r.dst.contains(*spec.gateway);
        });
        if (!reachable) return "ENETUNREACH";
    }
    const live::Route r = plan::request(spec);
    for (auto& o : s_.routes) {
        if (o.netns == r.netns && o.table == r.table && o.dst == r.dst && o.metric == r.metric) {
            if (!replace) return "EEXIST";
            o = r;
            return "";
        }
    }
    s_.routes.push_back(r);
    return "";
}

std::string KernelSim::delete_route(const kernel::Route& spec) {
    const auto before = s_.routes.size();
    erase_if(s_.routes, [&](const live::Route& r) {
        return r.netns == spec.netns && r.table == spec.table && r.dst == spec.dst && r.metric == spec.metric &&
               (spec.dev.empty() || r.dev == spec.dev);
    });
    return s_.routes.size() == before ? "ESRCH" : "";
}

std::string KernelSim::add_neighbor(const kernel::Neighbor& spec, bool replace) {
    if (find_link(spec.netns, spec.dev) == nullptr) return "ENODEV";
    const live::Neighbor n = plan::request(spec);
    for (auto& o : s_.neighbors) {
        if (o.netns == n.netns && o.dev == n.dev && o.dst == n.dst) {
            if (!replace) return "EEXIST";
            o = n;
            return "";
        }
    }
    s_.neighbors.push_back(n);
    return "";
}

std::string KernelSim::delete_neighbor(const kernel::Neighbor& spec) {
    const auto before = s_.neighbors.size();
    erase_if(s_.neighbors, [&](const live::Neighbor& n) {
        return n.netns == spec.netns && n.dev == spec.dev && n.dst == spec.dst;
    });
    return s_.neighbors.size() == before ? "ENOENT" : "";
}

// ---- comparison -------------------------------------------------------------

live::State normalized(live::State s) {
    for (auto& l : s.links) {
        l.ifindex = 0;
        l.operstate = 0;
        l.flags &= kUp | kLoopback;
        l.alias.clear();
    }
    for (auto& a : s.addresses) {
        a.ifindex = 0;
        a.flags &= kSecondary;
    }
    erase_if(s.routes, [](const live::Route& r) { return r.table == kLocal; });
    for (auto& r : s.routes) r.flags &= kOnlinkFlag;
    for (auto& n : s.neighbors) n.flags = 0;
    s.last_applied.reset();
    std::sort(s.namespaces.begin(), s.namespaces.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    std::sort(s.links.begin(), s.links.end(),
              [](const auto& a, const auto& b) { return std::tie(a.netns, a.name) < std::tie(b.netns, b.name); });
    std::sort(s.addresses.begin(), s.addresses.end(), [](const auto& a, const auto& b) {
        return std::tie(a.netns, a.dev, a.local) < std::tie(b.netns, b.dev, b.local);
    });
    std::sort(s.routes.begin(), s.routes.end(), [](const auto& a, const auto& b) {
        return std::tie(a.netns, a.table, a.dst, a.metric) < std::tie(b.netns, b.table, b.dst, b.metric);
    });
    std::sort(s.neighbors.begin(), s.neighbors.end(), [](const auto& a, const auto& b) {
        return std::tie(a.netns, a.dev, a.dst) < std::tie(b.netns, b.dev, b.dst);
    });
    return s;
}

namespace {
template <class T>
std::string text(const std::optional<T>& v) {
    return v ? v->str() : "-";
}
std::string text(const std::optional<bool>& v) { return v ? (*v ? "1" : "0") : "-"; }
std::string text(const std::optional<std::uint32_t>& v) { return v ? fmt::format("{}", *v) : "-"; }
}  // namespace

std::string dump(const live::State& s) {
    std::string out;
    for (const auto& n : s.namespaces) out += fmt::format("netns '{}' owned={}\n", n.name, n.owned);
    for (const auto& l : s.links) {
        out += fmt::format("link {}/{} kind={} peer={}/{} master={} mac={} mtu={} flags={:#x} group={} "
                           "proxy_arp={} forwarding={} proxy_delay={}\n",
                           l.netns, l.name, l.kind, l.peer_netns, l.peer_name, l.master, text(l.mac), l.mtu, l.flags,
                           l.group, text(l.proxy_arp), text(l.forwarding), text(l.proxy_delay_ms));
    }
    for (const auto& a : s.addresses) {
        out += fmt::format("address {}/{} {} peer={} scope={} flags={:#x} proto={}\n", a.netns, a.dev, a.local.str(),
                           text(a.peer), a.scope, a.flags, a.protocol);
    }
    for (const auto& r : s.routes) {
        out += fmt::format("route {} table={} {} metric={} via={} dev={} scope={} proto={} type={} flags={:#x} src={}\n",
                           r.netns, r.table, r.dst.str(), r.metric, text(r.gateway), r.dev, r.scope, r.protocol,
                           r.type, r.flags, text(r.prefsrc));
    }
    for (const auto& n : s.neighbors) {
        out += fmt::format("neighbor {}/{} {} lladdr={} state={:#x} proto={}\n", n.netns, n.dev, n.dst.str(),
                           text(n.lladdr), n.state, n.protocol);
    }
    return out;
}

}  // namespace podnetc::test
