// Identities of kernel objects as the planner sees them, and the kernel constants
// the planner reasons with. Identity decides what "the same object" is; every other
// field is an attribute that a change can update in place (see docs/PLANNER.md).
//   namespace: name             link: (netns, name)
//   address:   (netns, dev, local/len)
//   route:     (netns, table, dst/len, metric)    neighbour: (netns, dev, dst)
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/ir/ir.hpp"
#include "compiler/live/kernel_values.hpp"
#include "compiler/live/live_state.hpp"
#include "compiler/net/net_types.hpp"

namespace podnetc::plan {

using namespace podnetc::kernel;  // the kernel's numbers (kernel_values.hpp)

struct LinkKey {
    std::string netns;
    std::string name;
    friend auto operator<=>(const LinkKey&, const LinkKey&) = default;
};

struct AddressKey {
    std::string netns;
    std::string dev;
    Ipv4Prefix local;
    friend auto operator<=>(const AddressKey&, const AddressKey&) = default;
};

struct RouteKey {
    std::string netns;
    std::uint32_t table = kMainTable;
    Ipv4Prefix dst;
    std::uint32_t metric = 0;
    friend auto operator<=>(const RouteKey&, const RouteKey&) = default;
};

struct NeighborKey {
    std::string netns;
    std::string dev;
    Ipv4 dst;
    friend auto operator<=>(const NeighborKey&, const NeighborKey&) = default;
};

inline LinkKey key_of(const live::Link& l) { return {l.netns, l.name}; }
inline AddressKey key_of(const live::Address& a) { return {a.netns, a.dev, a.local}; }
inline RouteKey key_of(const live::Route& r) { return {r.netns, r.table, r.dst, r.metric}; }
inline NeighborKey key_of(const live::Neighbor& n) { return {n.netns, n.dev, n.dst}; }

inline LinkKey key_of(const ir::Link& l) { return {l.netns, l.name}; }
inline AddressKey key_of(const ir::Address& a) { return {a.netns, a.dev, a.local}; }
inline RouteKey key_of(const ir::Route& r) { return {r.netns, kMainTable, r.dst, 0}; }
inline NeighborKey key_of(const ir::Neighbor& n) { return {n.netns, n.dev, n.dst}; }

// A device as people write it: "veth1" in the host namespace, "pod-1/eth0"
// elsewhere (a namespace name never contains '/', so this is unambiguous).
std::string qualified(std::string_view netns, std::string_view name);

// Keys of the last-applied record (planner.hpp, applied_record): one readable line
// per object, e.g. "link pod-1/eth0", "route pod-1 0.0.0.0/0 metric 0".
std::string record_key_netns(std::string_view name);
std::string record_key(const LinkKey& key);
std::string record_key(const AddressKey& key);
std::string record_key(const RouteKey& key);
std::string record_key(const NeighborKey& key);

}  // namespace podnetc::plan
