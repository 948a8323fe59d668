// Value types for the things a topology names besides IP addresses (ip.hpp): MAC
// addresses and interface and namespace names, and the checks that say why a text is
// not a valid one. Parsing is strict (no leading zeros, no missing octets) because a
// typo in an address must be an error, not a surprise.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/net/ip.hpp"

namespace podnetc {

struct Mac {
    std::array<std::uint8_t, 6> bytes{};

    static std::optional<Mac> parse(std::string_view text);  // "02:00:0a:0a:01:0a"
    std::string str() const;                                 // lower-case, colon separated
    bool is_multicast() const { return (bytes[0] & 0x01) != 0; }
    bool is_zero() const;
    friend auto operator<=>(const Mac&, const Mac&) = default;
};

// Why a text is not a valid address / prefix / MAC, or "" if it is. The messages
// say exactly what is wrong ("octet 300 is out of range (0..255)", "prefix length
// 33 > 32") so that a typo is found at a glance. They parse as strictly as parse().
std::string ipv4_problem(std::string_view text);
// length_required: "missing prefix length" when there is no "/LEN".
std::string ipv4_prefix_problem(std::string_view text, bool length_required);
std::string mac_problem(std::string_view text);

// Linux interface names: 1..15 bytes (IFNAMSIZ - 1), not "." or "..", and none of
// '/', ':' or whitespace (dev_valid_name() in net/core/dev.c refuses those).
inline constexpr std::size_t kMaxIfnameBytes = 15;
// Why a name is not a valid interface name, or "" if it is.
std::string ifname_problem(std::string_view name);

// Named network namespaces are files under /run/netns: 1..255 bytes, not "." or
// "..", no '/' (iproute2's is_valid_netns_name). Why a name is not valid, or "".
inline constexpr std::size_t kMaxNetnsNameBytes = 255;
std::string netns_name_problem(std::string_view name);

}  // namespace podnetc
