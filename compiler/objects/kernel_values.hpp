// The kernel's numbers that compiler/ needs to read a LiveState (flags, scopes,
// tables…). compiler/ includes no kernel headers, so they are spelled out here once;
// runtime/netlink/kernel_values_check.cpp asserts each against <linux/…> at compile time.
#pragma once

#include <cstdint>

namespace podnetc::kernel {

inline constexpr std::uint32_t kMainTable = 254;      // RT_TABLE_MAIN
inline constexpr std::uint32_t kLocalTable = 255;     // RT_TABLE_LOCAL
inline constexpr std::uint8_t kProtoKernel = 2;       // RTPROT_KERNEL
inline constexpr std::uint8_t kProtoBoot = 3;         // RTPROT_BOOT (`ip route` by default)
inline constexpr std::uint8_t kProtoStatic = 4;       // RTPROT_STATIC
inline constexpr std::uint8_t kScopeUniverse = 0;     // RT_SCOPE_UNIVERSE
inline constexpr std::uint8_t kScopeLink = 253;       // RT_SCOPE_LINK
inline constexpr std::uint8_t kScopeHost = 254;       // RT_SCOPE_HOST
inline constexpr std::uint8_t kRouteUnicast = 1;      // RTN_UNICAST
inline constexpr std::uint32_t kOnlink = 0x4;         // RTNH_F_ONLINK
inline constexpr std::uint32_t kIffUp = 0x1;          // IFF_UP
inline constexpr std::uint32_t kIffLoopback = 0x8;    // IFF_LOOPBACK
inline constexpr std::uint32_t kIffLowerUp = 0x10000; // IFF_LOWER_UP
inline constexpr std::uint32_t kIfaSecondary = 0x01;  // IFA_F_SECONDARY
inline constexpr std::uint32_t kIfaPermanent = 0x80;  // IFA_F_PERMANENT
inline constexpr std::uint8_t kIfaProtoKernelLo = 1;  // IFAPROT_KERNEL_LO
inline constexpr std::uint16_t kNudPermanent = 0x80;  // NUD_PERMANENT
// Not in any header: what a new Ethernet-like device and `lo` get, and the ARP
// table's default proxy_delay (arp_tbl in net/ipv4/arp.c: 8 * HZ / 10).
inline constexpr std::uint32_t kDefaultMtu = 1500;
inline constexpr std::uint32_t kLoopbackMtu = 65536;
// A namespace's lo always has ifindex 1 (LOOPBACK_IFINDEX, kernel-internal), and
// gets 127.0.0.1/8 scope host from the kernel whenever it comes up (inetdev_event,
// NETDEV_UP); the address stays when lo goes down again.
inline constexpr std::int32_t kLoopbackIfindex = 1;
inline constexpr std::uint32_t kLoopbackAddress = 0x7f000001;  // 127.0.0.1
inline constexpr std::uint8_t kLoopbackPrefixLen = 8;
inline constexpr std::uint32_t kDefaultProxyDelayMs = 800;

}  // namespace podnetc::kernel
