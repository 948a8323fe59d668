// Readable names for the numbers of kernel objects: flag bits (IFF_*, IFA_F_*,
// RTNH_F_*/RTM_F_*, NUD_*, NTF_*) and enumerations (scope, route type, table,
// protocol, operstate, bridge port state). Shared by the snapshot JSON and `show`,
// so that both spell a thing the same way (iproute2's spelling where it has one).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace podnetc::kernel {

struct NamedValue {
    std::uint32_t value;
    std::string_view name;
};

// Flag tables: one entry per bit.
std::span<const NamedValue> link_flag_names();      // IFF_*: "up", "lower_up", …
std::span<const NamedValue> address_flag_names();   // IFA_F_*: "permanent", …
std::span<const NamedValue> route_flag_names();     // RTNH_F_* and RTM_F_*: "onlink", …
std::span<const NamedValue> neighbor_state_names(); // NUD_*: "permanent", …
std::span<const NamedValue> neighbor_flag_names();  // NTF_*: "router", …

// Enumeration tables.
std::span<const NamedValue> scope_names();            // "global", "link", "host", …
std::span<const NamedValue> route_type_names();       // "unicast", "local", …
std::span<const NamedValue> route_table_names();      // "main", "local", "default"
std::span<const NamedValue> route_protocol_names();   // "kernel", "static", "podnetc", … (also NDA_PROTOCOL)
std::span<const NamedValue> address_protocol_names(); // "kernel_lo", …, "podnetc"
std::span<const NamedValue> operstate_names();        // "up", "down", "lowerlayerdown", …
std::span<const NamedValue> bridge_port_state_names(); // "forwarding", "blocking", …

// Names of the set bits, lowest first; a bit without a name is written "0x…".
std::vector<std::string> flags_to_names(std::uint32_t flags, std::span<const NamedValue> table);
// The inverse; nullopt (with `bad` set to the offending word) for an unknown name.
std::optional<std::uint32_t> names_to_flags(std::span<const std::string> names, std::span<const NamedValue> table,
                                            std::string& bad);

// The name of a value, or "" if the table has none.
std::string_view value_name(std::uint32_t value, std::span<const NamedValue> table);
// A name from the table, or a decimal number.
std::optional<std::uint32_t> value_from_name(std::string_view text, std::span<const NamedValue> table);
// The name, or the number as decimal text when the value has no name.
std::string value_text(std::uint32_t value, std::span<const NamedValue> table);

}  // namespace podnetc::kernel
