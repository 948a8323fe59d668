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

#include "compiler/ir.hpp"
#include "compiler/live_state.hpp"
#include "compiler/net_types.hpp"

namespace podnetc::plan {

inline constexpr std::uint32_t kMainTable = 254;   // RT_TABLE_MAIN
inline constexpr std::uint32_t kLocalTable = 255;  // RT_TABLE_LOCAL
inline constexpr std::uint8_t kProtoKernel = 2;    // RTPROT_KERNEL
inline constexpr std::uint8_t kScopeUniverse = 0;  // RT_SCOPE_UNIVERSE
inline constexpr std::uint8_t kScopeLink = 253;    // RT_SCOPE_LINK
inline constexpr std::uint8_t kScopeHost = 254;    // RT_SCOPE_HOST
inline constexpr std::uint8_t kRouteUnicast = 1;   // RTN_UNICAST
inline constexpr std::uint32_t kOnlink = 0x4;      // RTNH_F_ONLINK
inline constexpr std::uint32_t kIffUp = 0x1;       // IFF_UP
inline constexpr std::uint32_t kIffLoopback = 0x8; // IFF_LOOPBACK
inline constexpr std::uint32_t kIfaSecondary = 0x01;  // IFA_F_SECONDARY
inline constexpr std::uint32_t kIfaPermanent = 0x80;  // IFA_F_PERMANENT
inline constexpr std::uint16_t kNudPermanent = 0x80;  // NUD_PERMANENT
inline constexpr std::uint32_t kDefaultMtu = 1500;
inline constexpr std::uint32_t kLoopbackMtu = 65536;

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
