// Parsing option values strictly, with messages that say what is wrong.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/ir/ir.hpp"
#include "compiler/lower/lower_expand.hpp"
#include "compiler/lower/lower_report.hpp"
#include "compiler/net/net_types.hpp"

namespace podnetc::lowering {

class ValueReader {
public:
    ValueReader(Reporter& reporter, ContextId context) : reporter_(reporter), context_(context) {}

    std::optional<ir::Mode> mode(const Located& value);
    // A subnet: prefix length required, no host bits.
    std::optional<ip::Prefix> subnet(const Located& value);
    // A plain address (a gateway): no prefix length.
    std::optional<ip::Address> address(const Located& value, std::string_view what);
    // An interface address: "/LEN" optional, default_len when absent.
    std::optional<ip::Prefix> interface_address(const Located& value, std::uint8_t default_len);
    // A decimal number without sign or leading zeros, within [min, max].
    std::optional<std::uint32_t> number(const Located& value, std::string_view what, std::uint32_t min,
                                        std::uint32_t max);
    std::optional<std::uint32_t> mtu(const Located& value);
    // A unicast, non-zero MAC.
    std::optional<Mac> mac(const Located& value, std::string_view what);
    // An interface name the kernel accepts.
    std::optional<std::string> ifname(const Located& value);

private:
    Reporter& reporter_;
    ContextId context_;
};

inline constexpr std::uint32_t kMinMtu = 68;
inline constexpr std::uint32_t kMaxMtu = 65535;

}  // namespace podnetc::lowering
