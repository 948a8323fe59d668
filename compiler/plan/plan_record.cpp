// The last-applied record and the state fingerprint (planner.hpp).
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "compiler/base/fnv1a.hpp"
#include "compiler/objects/object_keys.hpp"
#include "compiler/objects/ownership.hpp"
#include "compiler/steps/plan_describe.hpp"
#include "compiler/plan/planner.hpp"
#include "compiler/plan/planner_index.hpp"

namespace podnetc::plan {
namespace {

// FNV-1a (compiler/base/fnv1a.hpp) fed field by field: strings with their length (so that field
// boundaries are unambiguous), numbers as 8 bytes, optional values with a presence
// byte. No text is formatted: planning a large node should cost little more than
// reading it.
class Fnv {
public:
    Fnv& byte(std::uint8_t b) {
        hash_.byte(b);
        return *this;
    }
    Fnv& num(std::uint64_t v) {
        for (int i = 0; i < 8; ++i) byte(static_cast<std::uint8_t>(v >> (8 * i)));
        return *this;
    }
    Fnv& str(std::string_view s) {
        num(s.size());
        hash_.bytes(s);
        return *this;
    }
    // An IPv4 address feeds its 32-bit value, as before IPv6 existed, so that
    // fingerprints of existing plans stay valid; IPv6 feeds a marker and its bytes.
    Fnv& ip(const ip::Address& a) {
        if (a.is_v4()) return num(a.v4_value());
        byte(6);
        for (const std::uint8_t b : a.bytes()) byte(b);
        return *this;
    }
    Fnv& prefix(const ip::Prefix& p) { return ip(p.addr).byte(p.len); }
    Fnv& mac(const Mac& m) {
        for (const std::uint8_t b : m.bytes) byte(b);
        return *this;
    }
    template <class T, class F>
    Fnv& opt(const std::optional<T>& v, F&& feed) {
        byte(v ? 1 : 0);
        if (v) feed(*this, *v);
        return *this;
    }
    std::uint64_t value() const { return hash_.value(); }

private:
    Fnv1a64 hash_;
};

void feed_bool(Fnv& h, bool v) { h.byte(v ? 1 : 0); }
void feed_num(Fnv& h, std::uint32_t v) { h.num(v); }
void feed_ip(Fnv& h, ip::Address v) { h.ip(v); }
void feed_mac(Fnv& h, const Mac& v) { h.mac(v); }

std::uint64_t object_hash(const live::Netns& n) {
    return Fnv().str("netns").str(n.name).byte(n.owned).str(n.unreadable).value();
}

std::uint64_t object_hash(const live::Link& l) {
    Fnv h;
    h.str("link").str(l.netns).num(static_cast<std::uint32_t>(l.ifindex)).str(l.name).str(l.kind);
    h.str(l.peer_netns).str(l.peer_name).str(l.master).opt(l.mac, feed_mac).num(l.mtu).num(l.flags);
    h.byte(l.operstate).str(l.alias).num(l.group).opt(l.proxy_arp, feed_bool).opt(l.forwarding, feed_bool);
    h.opt(l.proxy_delay_ms, feed_num).opt(l.bridge_port, [](Fnv& f, const live::BridgePort& p) {
        f.byte(p.state).byte(p.hairpin).byte(p.learning).byte(p.unicast_flood).byte(p.isolated);
    });
    return h.value();
}

std::uint64_t object_hash(const live::Address& a) {
    Fnv h;
    h.str("address").str(a.netns).str(a.dev).num(static_cast<std::uint32_t>(a.ifindex)).prefix(a.local);
    h.opt(a.peer, feed_ip).byte(a.scope).num(a.flags).byte(a.protocol);
    return h.value();
}

std::uint64_t object_hash(const live::Route& r) {
    Fnv h;
    h.str("route").str(r.netns).num(r.table).prefix(r.dst).opt(r.gateway, feed_ip).str(r.dev).byte(r.scope);
    h.byte(r.protocol).byte(r.type).num(r.flags).opt(r.prefsrc, feed_ip).num(r.metric).num(r.nexthops.size());
    for (const live::Nexthop& nh : r.nexthops) h.opt(nh.gateway, feed_ip).str(nh.dev).num(nh.flags).num(nh.weight);
    return h.value();
}

std::uint64_t object_hash(const live::Neighbor& n) {
    Fnv h;
    h.str("neighbor").str(n.netns).str(n.dev).ip(n.dst).opt(n.lladdr, feed_mac).num(n.state).byte(n.flags);
    return h.byte(n.protocol).value();
}

}  // namespace

std::map<std::string, std::string> applied_record(const ir::NodeIr& desired) {
    std::map<std::string, std::string> record;
    for (const auto& n : desired.namespaces) record.emplace(record_key_netns(n.name), canonical(n));
    for (const auto& l : desired.links) record.emplace(record_key(key_of(l)), canonical(l));
    for (const auto& a : desired.addresses) record.emplace(record_key(key_of(a)), canonical(a));
    for (const auto& r : desired.routes) record.emplace(record_key(key_of(r)), canonical(r));
    for (const auto& n : desired.neighbors) record.emplace(record_key(key_of(n)), canonical(n));
    return record;
}

namespace {

// What a plan of `desired` reads: every pod namespace (owned or declared) with all
// it holds, the host's owned and declared links with what is on them, and any
// object at a declared key. A foreign interface that other tools create and delete
// on the host all the time is not in it, so it does not make a saved plan stale.
class FingerprintScope {
public:
    FingerprintScope(const DesiredIndex& desired, const live::State& live) : declared_keys_(desired.keys) {
        for (const auto& [name, netns] : desired.namespaces) namespaces_.insert(name);
        for (const auto& n : live.namespaces) {
            if (!n.name.empty() && n.owned) namespaces_.insert(n.name);
        }
        for (const auto& [key, link] : desired.links) {
            if (key.netns.empty()) host_links_.insert(key.name);
        }
        // The underlay device, its addresses and connected routes (planner_underlay.cpp).
        if (!desired.underlay_dev.empty()) host_links_.insert(desired.underlay_dev);
        for (const auto& l : live.links) {
            if (l.netns.empty() && (is_owned(l) || namespaces_.count(l.peer_netns) != 0)) host_links_.insert(l.name);
        }
        // A bridge's ports and a port's bridge are read with it.
        for (const auto& l : live.links) {
            if (!l.netns.empty()) continue;
            if (host_links_.count(l.master) != 0 || (host_links_.count(l.name) != 0 && !l.master.empty())) {
                host_links_.insert(l.name);
                host_links_.insert(l.master);
            }
        }
        host_links_.erase("");
    }

    bool namespace_in(const std::string& netns) const { return netns.empty() || namespaces_.count(netns) != 0; }

    template <class Object>
    bool contains(const Object& o, const std::string& dev) const {
        if (!o.netns.empty()) return namespaces_.count(o.netns) != 0;
        return host_links_.count(dev) != 0 || declared_keys_.count(record_key(key_of(o))) != 0;
    }
    bool contains(const live::Route& r) const {
        if (contains(r, r.dev)) return true;
        return std::any_of(r.nexthops.begin(), r.nexthops.end(),
                           [&](const live::Nexthop& nh) { return r.netns.empty() && host_links_.count(nh.dev) != 0; });
    }

private:
    const std::set<std::string>& declared_keys_;
    std::set<std::string> namespaces_;  // pod namespaces
    std::set<std::string> host_links_;
};

}  // namespace

// Every field of every object in scope: one hash per object, sorted (so that the
// digest does not depend on dump order), then hashed together. A re-created object
// (new ifindex) is a different state.
std::string fingerprint(const ir::NodeIr& desired, const live::State& live) {
    return fingerprint(DesiredIndex(desired), live);
}

std::string fingerprint(const DesiredIndex& desired, const live::State& live) {
    const FingerprintScope scope(desired, live);
    std::vector<std::uint64_t> objects;
    for (const auto& n : live.namespaces) {
        if (scope.namespace_in(n.name)) objects.push_back(object_hash(n));
    }
    for (const auto& l : live.links) {
        if (scope.contains(l, l.name)) objects.push_back(object_hash(l));
    }
    for (const auto& a : live.addresses) {
        if (scope.contains(a, a.dev)) objects.push_back(object_hash(a));
    }
    for (const auto& r : live.routes) {
        if (scope.contains(r)) objects.push_back(object_hash(r));
    }
    for (const auto& n : live.neighbors) {
        if (scope.contains(n, n.dev)) objects.push_back(object_hash(n));
    }
    Fnv forward;
    forward.str("ip_forward").opt(live.ip_forward, feed_bool);
    objects.push_back(forward.value());
    std::sort(objects.begin(), objects.end());
    Fnv all;
    for (const std::uint64_t o : objects) all.num(o);
    // The record is a sorted map already.
    all.opt(live.last_applied, [](Fnv& h, const std::map<std::string, std::string>& record) {
        h.num(record.size());
        for (const auto& [key, text] : record) h.str(key).str(text);
    });
    return fmt::format("{:016x}", all.value());
}

}  // namespace podnetc::plan
