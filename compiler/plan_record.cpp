// The last-applied record and the state fingerprint (planner.hpp).
#include <algorithm>
#include <cstdint>
#include <vector>

#include <fmt/format.h>

#include "compiler/object_keys.hpp"
#include "compiler/plan_describe.hpp"
#include "compiler/planner.hpp"

namespace podnetc::plan {
namespace {

std::string opt(const std::optional<bool>& v) { return v ? (*v ? "1" : "0") : "-"; }
std::string opt(const std::optional<std::uint32_t>& v) { return v ? fmt::format("{}", *v) : "-"; }
template <class T>
std::string opt_str(const std::optional<T>& v) {
    return v ? v->str() : "-";
}

// FNV-1a, 64 bit.
std::uint64_t fnv1a(const std::vector<std::string>& lines) {
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (const std::string& line : lines) {
        for (const char c : line) {
            hash ^= static_cast<unsigned char>(c);
            hash *= 0x100000001b3ull;
        }
        hash ^= static_cast<unsigned char>('\n');
        hash *= 0x100000001b3ull;
    }
    return hash;
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

// Every field of every object, one line each, sorted: the digest does not depend on
// dump order, and a re-created object (new ifindex) is a different state.
std::string fingerprint(const live::State& live) {
    std::vector<std::string> lines;
    for (const auto& n : live.namespaces) lines.push_back(fmt::format("netns|{}|{}", n.name, n.owned));
    for (const auto& l : live.links) {
        lines.push_back(fmt::format("link|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", l.netns, l.ifindex, l.name,
                                    l.kind, l.peer_netns, l.peer_name, l.master, opt_str(l.mac), l.mtu, l.flags,
                                    l.operstate, l.alias, l.group, opt(l.proxy_arp), opt(l.forwarding),
                                    opt(l.proxy_delay_ms)));
    }
    for (const auto& a : live.addresses) {
        lines.push_back(fmt::format("address|{}|{}|{}|{}|{}|{}|{}|{}", a.netns, a.dev, a.ifindex, a.local.str(),
                                    opt_str(a.peer), a.scope, a.flags, a.protocol));
    }
    for (const auto& r : live.routes) {
        lines.push_back(fmt::format("route|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", r.netns, r.table, r.dst.str(),
                                    opt_str(r.gateway), r.dev, r.scope, r.protocol, r.type, r.flags,
                                    opt_str(r.prefsrc), r.metric));
    }
    for (const auto& n : live.neighbors) {
        lines.push_back(fmt::format("neighbor|{}|{}|{}|{}|{}|{}|{}", n.netns, n.dev, n.dst.str(), opt_str(n.lladdr),
                                    n.state, n.flags, n.protocol));
    }
    lines.push_back(fmt::format("ip_forward|{}", opt(live.ip_forward)));
    if (live.last_applied) {
        for (const auto& [key, text] : *live.last_applied) lines.push_back(fmt::format("applied|{}|{}", key, text));
    } else {
        lines.push_back("applied|-");
    }
    std::sort(lines.begin(), lines.end());
    return fmt::format("{:016x}", fnv1a(lines));
}

}  // namespace podnetc::plan
