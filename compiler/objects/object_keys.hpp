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

#include "compiler/objects/objects.hpp"

namespace podnetc::kernel {

struct LinkKey {
    std::string netns;
    std::string name;
    friend auto operator<=>(const LinkKey&, const LinkKey&) = default;
};

struct AddressKey {
    std::string netns;
    std::string dev;
    ip::Prefix local;
    friend auto operator<=>(const AddressKey&, const AddressKey&) = default;
};

struct RouteKey {
    std::string netns;
    std::uint32_t table = kMainTable;
    ip::Prefix dst;
    std::uint32_t metric = 0;
    friend auto operator<=>(const RouteKey&, const RouteKey&) = default;
};

struct NeighborKey {
    std::string netns;
    std::string dev;
    ip::Address dst;
    friend auto operator<=>(const NeighborKey&, const NeighborKey&) = default;
};

// Desired and observed objects derive from these types, so one key_of serves both.
inline LinkKey key_of(const Link& l) { return {l.netns, l.name}; }
inline AddressKey key_of(const Address& a) { return {a.netns, a.dev, a.local}; }
inline RouteKey key_of(const Route& r) { return {r.netns, r.table, r.dst, r.metric}; }
inline NeighborKey key_of(const Neighbor& n) { return {n.netns, n.dev, n.dst}; }

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

}  // namespace podnetc::kernel
