// How podnetc recognizes what it created (see README, "Ownership"). Every marker is
// stored in the kernel object itself, except for namespaces, which have no field
// for it: those are listed in a registry directory under the state directory
// (live::Netns::owned).
#pragma once

#include <cstdint>
#include <string_view>

#include "compiler/objects/objects.hpp"

namespace podnetc {

// IFLA_GROUP of every link podnetc creates or adopts (both ends of a veth, bridges).
// One group also lets destroy remove all of them with one RTM_DELLINK.
inline constexpr std::uint32_t kOwnedLinkGroup = 0x504e;  // 20558, "PN"

// rtm_protocol of routes, IFA_PROTO of addresses, NDA_PROTOCOL of neighbours.
// 176 is unused in iproute2's rt_protos; `ip route show proto 176` lists ours.
inline constexpr std::uint8_t kOwnedProtocol = 176;

// Default state directory (journal, lock, namespace registry); PODNETC_STATE_DIR overrides.
inline constexpr std::string_view kDefaultStateDir = "/run/podnetc";

inline bool is_owned(const kernel::Link& link) { return link.group == kOwnedLinkGroup; }
inline bool is_owned(const kernel::Address& address) { return address.protocol == kOwnedProtocol; }
inline bool is_owned(const kernel::Route& route) { return route.protocol == kOwnedProtocol; }
inline bool is_owned(const kernel::Neighbor& neighbor) { return neighbor.protocol == kOwnedProtocol; }

}  // namespace podnetc
