// IP addresses and prefixes of either family, as every stage holds them: the IR,
// the live state, plan steps and the netlink encoder and decoder. An address knows
// its family; comparisons order IPv4 before IPv6 and, within a family, numerically
// (the bytes are kept in network order), so sorted output does not depend on how an
// address was made. Text is dotted decimal for IPv4 and RFC 5952 for IPv6.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace podnetc::ip {

enum class Family : std::uint8_t { v4, v6 };
std::string_view family_name(Family family);  // "IPv4", "IPv6"
constexpr unsigned address_bits(Family family) { return family == Family::v4 ? 32 : 128; }

class Address {
public:
    constexpr Address() = default;  // 0.0.0.0

    static constexpr Address v4(std::uint32_t host_order) {
        Address a;
        a.bytes_[0] = static_cast<std::uint8_t>(host_order >> 24);
        a.bytes_[1] = static_cast<std::uint8_t>(host_order >> 16);
        a.bytes_[2] = static_cast<std::uint8_t>(host_order >> 8);
        a.bytes_[3] = static_cast<std::uint8_t>(host_order);
        return a;
    }
    static Address v6(const std::array<std::uint8_t, 16>& bytes);
    // From network-order bytes: 4 give an IPv4 address, 16 an IPv6 one, others nothing.
    static std::optional<Address> from_bytes(std::span<const std::uint8_t> bytes);

    // Either family: "10.0.0.1" or "fd00::1" (RFC 4291 text, also with a trailing
    // dotted quad). Strict: no leading zeros in decimal octets, no zone index.
    static std::optional<Address> parse(std::string_view text);
    static std::optional<Address> parse_v4(std::string_view text);
    static std::optional<Address> parse_v6(std::string_view text);

    Family family() const { return family_; }
    bool is_v4() const { return family_ == Family::v4; }
    unsigned bits() const { return address_bits(family_); }
    // Network order, 4 or 16 bytes.
    std::span<const std::uint8_t> bytes() const { return {bytes_.data(), is_v4() ? 4u : 16u}; }
    // The IPv4 address as a number in host order (10.0.0.1 == 0x0a000001); 0 for IPv6.
    std::uint32_t v4_value() const;
    bool is_unspecified() const;  // 0.0.0.0 or ::

    std::string str() const;
    void append_to(std::string& out) const;

    // The address with only the first `len` bits kept (the rest zero), or set (one).
    Address masked(unsigned len) const;
    Address filled(unsigned len) const;

    friend auto operator<=>(const Address&, const Address&) = default;

private:
    Family family_ = Family::v4;
    std::array<std::uint8_t, 16> bytes_{};
};

// An address with a prefix length. For an interface address the host bits are
// significant (10.10.1.10/24); for a subnet they must be zero (see is_network()).
struct Prefix {
    Address addr;
    std::uint8_t len = 32;

    // "ADDRESS/LEN" of either family, or "ADDRESS" when default_len is given (then
    // len = default_len, or the family's full length if default_len is past it).
    static std::optional<Prefix> parse(std::string_view text,
                                       std::optional<std::uint8_t> default_len = std::nullopt);
    // The /32 or /128 of one address.
    static Prefix host(Address address) {
        return Prefix{address, static_cast<std::uint8_t>(address.bits())};
    }

    Family family() const { return addr.family(); }
    bool is_default() const { return len == 0 && addr.is_unspecified(); }
    Address network() const { return addr.masked(len); }
    Address last() const { return addr.filled(len); }  // IPv4: the broadcast address
    bool is_network() const { return network() == addr; }
    bool contains(const Address& other) const;
    bool overlaps(const Prefix& other) const;
    std::string str() const;  // always with "/len"
    friend auto operator<=>(const Prefix&, const Prefix&) = default;
};

}  // namespace podnetc::ip

template <>
struct std::hash<podnetc::ip::Address> {
    std::size_t operator()(const podnetc::ip::Address& a) const noexcept {
        std::size_t h = a.is_v4() ? 4 : 6;
        for (const std::uint8_t b : a.bytes()) h = h * 131 + b;
        return h;
    }
};
