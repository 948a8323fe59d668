#include "compiler/lower/lower_values.hpp"

#include <fmt/format.h>

namespace podnetc::lowering {

std::optional<ir::Mode> ValueReader::mode(const Located& value) {
    for (const ir::Mode mode : {ir::Mode::bridge, ir::Mode::route, ir::Mode::mesh}) {
        if (value.text == ir::mode_name(mode)) return mode;
    }
    if (Diagnostic* d = reporter_.error(value.range, "bad-mode", context_,
                                        fmt::format("unknown mode '{}'", value.text))) {
        const std::string close = closest_match(value.text, {"bridge", "route", "mesh"});
        d->notes.push_back({SourceRange{}, close.empty() ? "the modes are bridge, route and mesh"
                                                         : fmt::format("did you mean '{}'?", close)});
    }
    return std::nullopt;
}

std::optional<ip::Prefix> ValueReader::subnet(const Located& value) {
    if (const std::string problem = ipv4_prefix_problem(value.text, true); !problem.empty()) {
        reporter_.error(value.range, "bad-subnet", context_,
                        fmt::format("malformed subnet '{}': {}", value.text, problem));
        return std::nullopt;
    }
    const ip::Prefix prefix = *ip::Prefix::parse(value.text);
    if (!prefix.is_network()) {
        if (Diagnostic* d = reporter_.error(value.range, "subnet-host-bits", context_,
                                            fmt::format("subnet {} has host bits set", value.text))) {
            d->notes.push_back({SourceRange{}, fmt::format("did you mean {}?",
                                                           ip::Prefix{prefix.network(), prefix.len}.str())});
        }
        return std::nullopt;
    }
    return prefix;
}

std::optional<ip::Address> ValueReader::address(const Located& value, std::string_view what) {
    if (value.text.find('/') != std::string::npos) {
        reporter_.error(value.range, "address-with-length", context_,
                        fmt::format("{} '{}' must be an address without prefix length", what, value.text));
        return std::nullopt;
    }
    if (const std::string problem = ipv4_problem(value.text); !problem.empty()) {
        reporter_.error(value.range, "bad-address", context_,
                        fmt::format("malformed {} '{}': {}", what, value.text, problem));
        return std::nullopt;
    }
    return ip::Address::parse_v4(value.text);
}

std::optional<ip::Prefix> ValueReader::interface_address(const Located& value, std::uint8_t default_len) {
    if (const std::string problem = ipv4_prefix_problem(value.text, false); !problem.empty()) {
        reporter_.error(value.range, "bad-address", context_,
                        fmt::format("malformed address '{}': {}", value.text, problem));
        return std::nullopt;
    }
    return ip::Prefix::parse(value.text, default_len);
}

std::optional<std::uint32_t> ValueReader::number(const Located& value, std::string_view what,
                                                 std::uint32_t min, std::uint32_t max) {
    const std::string& text = value.text;
    bool digits = !text.empty();
    for (const char c : text) digits = digits && c >= '0' && c <= '9';
    if (!digits) {
        reporter_.error(value.range, "bad-number", context_,
                        fmt::format("{} '{}' is not a decimal number", what, text));
        return std::nullopt;
    }
    if (text.size() > 1 && text[0] == '0') {
        reporter_.error(value.range, "bad-number", context_,
                        fmt::format("{} '{}' has a leading zero", what, text));
        return std::nullopt;
    }
    std::uint64_t number = 0;
    for (const char c : text) {
        number = number * 10 + static_cast<std::uint64_t>(c - '0');
        if (number > max) break;
    }
    if (number < min || number > max) {
        const bool open_ended = max == UINT32_MAX && number < min;
        reporter_.error(value.range, "number-range", context_,
                        open_ended ? fmt::format("{} {} must be at least {}", what, text, min)
                                   : fmt::format("{} {} is out of range ({}..{})", what, text, min, max));
        return std::nullopt;
    }
    return static_cast<std::uint32_t>(number);
}

std::optional<std::uint32_t> ValueReader::mtu(const Located& value) {
    return number(value, "mtu", kMinMtu, kMaxMtu);
}

std::optional<Mac> ValueReader::mac(const Located& value, std::string_view what) {
    if (const std::string problem = mac_problem(value.text); !problem.empty()) {
        reporter_.error(value.range, "bad-mac", context_,
                        fmt::format("malformed {} '{}': {}", what, value.text, problem));
        return std::nullopt;
    }
    const Mac mac = *Mac::parse(value.text);
    if (mac.is_zero()) {
        reporter_.error(value.range, "mac-zero", context_, fmt::format("{} {} is all zeros", what, mac.str()));
        return std::nullopt;
    }
    if (mac.is_multicast()) {
        if (Diagnostic* d = reporter_.error(value.range, "mac-multicast", context_,
                                            fmt::format("{} {} is a multicast address", what, mac.str()))) {
            d->notes.push_back({SourceRange{}, "the lowest bit of the first byte marks multicast; locally "
                                               "administered unicast MACs start with x2, x6, xa or xe"});
        }
        return std::nullopt;
    }
    return mac;
}

std::optional<std::string> ValueReader::ifname(const Located& value) {
    if (std::string problem = ifname_problem(value.text); !problem.empty()) {
        reporter_.error(value.range, "bad-ifname", context_, std::move(problem));
        return std::nullopt;
    }
    return value.text;
}

}  // namespace podnetc::lowering
