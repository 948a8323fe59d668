#include "compiler/objects/kernel_names.hpp"

#include <array>

#include <fmt/format.h>

namespace podnetc::kernel {
namespace {

constexpr std::array kLinkFlags{
    NamedValue{0x1, "up"},          NamedValue{0x2, "broadcast"},    NamedValue{0x4, "debug"},
    NamedValue{0x8, "loopback"},    NamedValue{0x10, "pointopoint"}, NamedValue{0x20, "notrailers"},
    NamedValue{0x40, "running"},    NamedValue{0x80, "noarp"},       NamedValue{0x100, "promisc"},
    NamedValue{0x200, "allmulti"},  NamedValue{0x400, "master"},     NamedValue{0x800, "slave"},
    NamedValue{0x1000, "multicast"}, NamedValue{0x2000, "portsel"},  NamedValue{0x4000, "automedia"},
    NamedValue{0x8000, "dynamic"},  NamedValue{0x10000, "lower_up"}, NamedValue{0x20000, "dormant"},
    NamedValue{0x40000, "echo"},
};

constexpr std::array kAddressFlags{
    NamedValue{0x1, "secondary"},       NamedValue{0x2, "nodad"},          NamedValue{0x4, "optimistic"},
    NamedValue{0x8, "dadfailed"},       NamedValue{0x10, "homeaddress"},   NamedValue{0x20, "deprecated"},
    NamedValue{0x40, "tentative"},      NamedValue{0x80, "permanent"},     NamedValue{0x100, "managetempaddr"},
    NamedValue{0x200, "noprefixroute"}, NamedValue{0x400, "mcautojoin"},   NamedValue{0x800, "stable_privacy"},
};

constexpr std::array kRouteFlags{
    NamedValue{0x1, "dead"},          NamedValue{0x2, "pervasive"},     NamedValue{0x4, "onlink"},
    NamedValue{0x8, "offload"},       NamedValue{0x10, "linkdown"},     NamedValue{0x20, "unresolved"},
    NamedValue{0x40, "trap"},         NamedValue{0x100, "notify"},      NamedValue{0x200, "cloned"},
    NamedValue{0x400, "equalize"},    NamedValue{0x800, "prefix"},      NamedValue{0x1000, "lookup_table"},
    NamedValue{0x2000, "fib_match"},  NamedValue{0x4000, "rt_offload"}, NamedValue{0x8000, "rt_trap"},
    NamedValue{0x20000000, "rt_offload_failed"},
};

constexpr std::array kNeighborStates{
    NamedValue{0x1, "incomplete"}, NamedValue{0x2, "reachable"}, NamedValue{0x4, "stale"},
    NamedValue{0x8, "delay"},      NamedValue{0x10, "probe"},    NamedValue{0x20, "failed"},
    NamedValue{0x40, "noarp"},     NamedValue{0x80, "permanent"},
};

constexpr std::array kNeighborFlags{
    NamedValue{0x1, "use"},          NamedValue{0x2, "self"},       NamedValue{0x4, "master"},
    NamedValue{0x8, "proxy"},        NamedValue{0x10, "extern_learn"}, NamedValue{0x20, "offload"},
    NamedValue{0x40, "sticky"},      NamedValue{0x80, "router"},
};

constexpr std::array kScopes{
    NamedValue{0, "global"}, NamedValue{200, "site"}, NamedValue{253, "link"},
    NamedValue{254, "host"}, NamedValue{255, "nowhere"},
};

constexpr std::array kRouteTypes{
    NamedValue{0, "unspec"},    NamedValue{1, "unicast"},   NamedValue{2, "local"},
    NamedValue{3, "broadcast"}, NamedValue{4, "anycast"},   NamedValue{5, "multicast"},
    NamedValue{6, "blackhole"}, NamedValue{7, "unreachable"}, NamedValue{8, "prohibit"},
    NamedValue{9, "throw"},     NamedValue{10, "nat"},      NamedValue{11, "xresolve"},
};

constexpr std::array kRouteTables{
    NamedValue{253, "default"}, NamedValue{254, "main"}, NamedValue{255, "local"},
};

// iproute2's rt_protos, plus podnetc's own marker (ownership.hpp).
constexpr std::array kRouteProtocols{
    NamedValue{0, "unspec"},   NamedValue{1, "redirect"},  NamedValue{2, "kernel"},   NamedValue{3, "boot"},
    NamedValue{4, "static"},   NamedValue{8, "gated"},     NamedValue{9, "ra"},       NamedValue{10, "mrt"},
    NamedValue{11, "zebra"},   NamedValue{12, "bird"},     NamedValue{13, "dnrouted"}, NamedValue{14, "xorp"},
    NamedValue{15, "ntk"},     NamedValue{16, "dhcp"},     NamedValue{17, "mrouted"}, NamedValue{18, "keepalived"},
    NamedValue{42, "babel"},   NamedValue{99, "openr"},    NamedValue{176, "podnetc"}, NamedValue{186, "bgp"},
    NamedValue{187, "isis"},   NamedValue{188, "ospf"},    NamedValue{189, "rip"},    NamedValue{192, "eigrp"},
};

constexpr std::array kAddressProtocols{
    NamedValue{0, "unspec"}, NamedValue{1, "kernel_lo"}, NamedValue{2, "kernel_ra"},
    NamedValue{3, "kernel_ll"}, NamedValue{176, "podnetc"},
};

constexpr std::array kOperstates{
    NamedValue{0, "unknown"}, NamedValue{1, "notpresent"}, NamedValue{2, "down"},
    NamedValue{3, "lowerlayerdown"}, NamedValue{4, "testing"}, NamedValue{5, "dormant"},
    NamedValue{6, "up"},
};

constexpr std::array kBridgePortStates{
    NamedValue{0, "disabled"}, NamedValue{1, "listening"}, NamedValue{2, "learning"},
    NamedValue{3, "forwarding"}, NamedValue{4, "blocking"},
};

std::optional<std::uint32_t> parse_number(std::string_view text) {
    if (text.empty() || text.size() > 10) return std::nullopt;
    std::uint64_t value = 0;
    bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    if (hex) text.remove_prefix(2);
    for (const char c : text) {
        int digit = -1;
        if (c >= '0' && c <= '9') digit = c - '0';
        else if (hex && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
        else if (hex && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
        if (digit < 0) return std::nullopt;
        value = value * (hex ? 16 : 10) + static_cast<std::uint64_t>(digit);
    }
    if (value > UINT32_MAX) return std::nullopt;
    return static_cast<std::uint32_t>(value);
}

}  // namespace

std::span<const NamedValue> link_flag_names() { return kLinkFlags; }
std::span<const NamedValue> address_flag_names() { return kAddressFlags; }
std::span<const NamedValue> route_flag_names() { return kRouteFlags; }
std::span<const NamedValue> neighbor_state_names() { return kNeighborStates; }
std::span<const NamedValue> neighbor_flag_names() { return kNeighborFlags; }
std::span<const NamedValue> scope_names() { return kScopes; }
std::span<const NamedValue> route_type_names() { return kRouteTypes; }
std::span<const NamedValue> route_table_names() { return kRouteTables; }
std::span<const NamedValue> route_protocol_names() { return kRouteProtocols; }
std::span<const NamedValue> address_protocol_names() { return kAddressProtocols; }
std::span<const NamedValue> operstate_names() { return kOperstates; }
std::span<const NamedValue> bridge_port_state_names() { return kBridgePortStates; }

std::vector<std::string> flags_to_names(std::uint32_t flags, std::span<const NamedValue> table) {
    std::vector<std::string> names;
    for (std::uint32_t bit = 1; bit != 0; bit <<= 1) {
        if ((flags & bit) == 0) continue;
        const std::string_view name = value_name(bit, table);
        names.push_back(name.empty() ? fmt::format("{:#x}", bit) : std::string(name));
    }
    return names;
}

std::optional<std::uint32_t> names_to_flags(std::span<const std::string> names, std::span<const NamedValue> table,
                                            std::string& bad) {
    std::uint32_t flags = 0;
    for (const std::string& name : names) {
        std::optional<std::uint32_t> bit;
        for (const NamedValue& entry : table) {
            if (entry.name == name) bit = entry.value;
        }
        if (!bit && name.size() > 2 && name[0] == '0' && name[1] == 'x') bit = parse_number(name);
        if (!bit) {
            bad = name;
            return std::nullopt;
        }
        flags |= *bit;
    }
    return flags;
}

std::string_view value_name(std::uint32_t value, std::span<const NamedValue> table) {
    for (const NamedValue& entry : table) {
        if (entry.value == value) return entry.name;
    }
    return {};
}

std::optional<std::uint32_t> value_from_name(std::string_view text, std::span<const NamedValue> table) {
    for (const NamedValue& entry : table) {
        if (entry.name == text) return entry.value;
    }
    return parse_number(text);
}

std::string value_text(std::uint32_t value, std::span<const NamedValue> table) {
    const std::string_view name = value_name(value, table);
    return name.empty() ? std::to_string(value) : std::string(name);
}

}  // namespace podnetc::kernel
