#include "compiler/net/net_types.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "compiler/net/decimal.hpp"

namespace podnetc {
namespace {

using net_detail::hex_digit;
using net_detail::parse_decimal;

bool all_digits(std::string_view text) {
    for (const char c : text) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

// Why `text` is not an acceptable decimal number up to max; `what` names it in the
// message ("octet", "prefix length").
std::string decimal_problem(std::string_view text, std::string_view what, std::uint32_t max) {
    if (text.empty()) return fmt::format("empty {}", what);
    if (!all_digits(text)) return fmt::format("{} '{}' is not a decimal number", what, text);
    if (text.size() > 1 && text[0] == '0') return fmt::format("{} '{}' has a leading zero", what, text);
    if (!parse_decimal(text, max)) return fmt::format("{} {} is out of range (0..{})", what, text, max);
    return {};
}

}  // namespace

std::string ipv4_problem(std::string_view text) {
    if (text.empty()) return "empty address";
    std::size_t octets = 1;
    for (const char c : text) octets += c == '.' ? 1 : 0;
    if (octets != 4) {
        return fmt::format("expected 4 octets separated by '.', found {}", octets);
    }
    for (int octet = 0; octet < 4; ++octet) {
        const std::size_t dot = std::min(text.find('.'), text.size());
        if (std::string problem = decimal_problem(text.substr(0, dot), "octet", 255); !problem.empty()) {
            return problem;
        }
        text = text.substr(std::min(dot + 1, text.size()));
    }
    return {};
}

std::string ipv4_prefix_problem(std::string_view text, bool length_required) {
    const std::size_t slash = text.find('/');
    if (std::string problem = ipv4_problem(text.substr(0, slash)); !problem.empty()) return problem;
    if (slash == std::string_view::npos) {
        return length_required ? "missing prefix length (like /24)" : std::string{};
    }
    const std::string_view len = text.substr(slash + 1);
    if (len.empty()) return "missing prefix length after '/'";
    if (all_digits(len) && !(len.size() > 1 && len[0] == '0') && !parse_decimal(len, 32)) {
        return fmt::format("prefix length {} > 32", len);
    }
    return decimal_problem(len, "prefix length", 32);
}

std::string mac_problem(std::string_view text) {
    if (Mac::parse(text)) return {};
    return "expected six two-digit hex bytes separated by ':' (like 02:00:0a:0a:01:0a)";
}

std::string netns_name_problem(std::string_view name) {
    if (name.empty()) return "a namespace name cannot be empty";
    if (name.size() > kMaxNetnsNameBytes) {
        return fmt::format("namespace name is {} bytes long; at most {} are allowed", name.size(),
                           kMaxNetnsNameBytes);
    }
    if (name == "." || name == "..") return fmt::format("'{}' is not a valid namespace name", name);
    if (name.find('/') != std::string_view::npos) {
        return fmt::format("namespace name '{}' contains '/'", name);
    }
    return {};
}

std::optional<Mac> Mac::parse(std::string_view text) {
    if (text.size() != 17) return std::nullopt;
    Mac mac;
    for (std::size_t i = 0; i < 6; ++i) {
        const int hi = hex_digit(text[i * 3]);
        const int lo = hex_digit(text[i * 3 + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        if (i < 5 && text[i * 3 + 2] != ':') return std::nullopt;
        mac.bytes[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return mac;
}

std::string Mac::str() const {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(17, ':');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        out[i * 3] = kHex[bytes[i] >> 4];
        out[i * 3 + 1] = kHex[bytes[i] & 0xf];
    }
    return out;
}

bool Mac::is_zero() const {
    for (const auto b : bytes) {
        if (b != 0) return false;
    }
    return true;
}

std::string ifname_problem(std::string_view name) {
    if (name.empty()) return "an interface name cannot be empty";
    if (name.size() > kMaxIfnameBytes) {
        return fmt::format("interface name '{}' is {} bytes long; the kernel allows at most {}", name,
                           name.size(), kMaxIfnameBytes);
    }
    if (name == "." || name == "..") return fmt::format("'{}' is not a valid interface name", name);
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '/' || c == ':' || std::isspace(u) || u < 0x20 || u == 0x7f) {
            return fmt::format("interface name '{}' contains '{}', which the kernel refuses", name,
                               std::isprint(u) && !std::isspace(u) ? std::string(1, c)
                                                                   : fmt::format("\\x{:02x}", u));
        }
    }
    return {};
}

}  // namespace podnetc
