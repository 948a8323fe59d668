// Names of rtnetlink constants for text output: message types, route tables,
// protocols, scopes and types, neighbour states, devconf entries, errno values.
// A value without a name comes back as its number.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace podnetc::rt::names {

std::string message_type(std::uint16_t type);        // "RTM_NEWLINK", else "type#N"
std::string request_flags(std::uint16_t type, std::uint16_t flags);  // "create,excl"; "" for none
std::string route_table(std::uint32_t table);        // "main", "1000"
std::string route_protocol(std::uint8_t protocol);   // "kernel", "176"
std::string route_scope(std::uint8_t scope);         // "link"
std::string route_type(std::uint8_t type);           // "unicast"
std::string neighbor_state(std::uint16_t state);     // "permanent", "reachable|noarp"
std::string link_flags(std::uint32_t flags);         // "up|broadcast"
std::string address_family(std::uint8_t family);     // "inet", "unspec", "family#N"
std::string ipv4_devconf(std::uint16_t index);       // 1 -> "forwarding", 3 -> "proxy_arp"
std::string error_code(int error);                   // positive errno -> "EEXIST (File exists)"

}  // namespace podnetc::rt::names
