#include "compiler/net/ip.hpp"

#include <algorithm>

#include "compiler/net/decimal.hpp"

namespace podnetc::ip {

using net_detail::append_decimal;
using net_detail::hex_digit;
using net_detail::parse_decimal;

std::string_view family_name(Family family) { return family == Family::v4 ? "IPv4" : "IPv6"; }

Address Address::v6(const std::array<std::uint8_t, 16>& bytes) {
    Address a;
    a.family_ = Family::v6;
    a.bytes_ = bytes;
    return a;
}

std::optional<Address> Address::from_bytes(std::span<const std::uint8_t> bytes) {
    if (bytes.size() == 4) {
        return v4(std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 |
                  std::uint32_t{bytes[2]} << 8 | std::uint32_t{bytes[3]});
    }
    if (bytes.size() == 16) {
        std::array<std::uint8_t, 16> b{};
        for (std::size_t i = 0; i < 16; ++i) b[i] = bytes[i];
        return v6(b);
    }
    return std::nullopt;
}

std::optional<Address> Address::parse_v4(std::string_view text) {
    std::uint32_t value = 0;
    for (int octet = 0; octet < 4; ++octet) {
        const std::size_t dot = octet < 3 ? text.find('.') : text.size();
        if (dot == std::string_view::npos) return std::nullopt;
        const auto part = parse_decimal(text.substr(0, dot), 255);
        if (!part) return std::nullopt;
        value = (value << 8) | *part;
        text = octet < 3 ? text.substr(dot + 1) : std::string_view{};
    }
    return v4(value);
}

namespace {

// Groups of "h:h:…" (1..4 hex digits each, and a dotted quad as the last part when
// `allow_v4` is set) into 16-bit words; nullopt on anything else.
bool parse_groups(std::string_view text, bool allow_v4, std::array<std::uint16_t, 8>& words,
                  std::size_t& count) {
    count = 0;
    if (text.empty()) return true;
    while (true) {
        const std::size_t colon = text.find(':');
        const std::string_view group = text.substr(0, colon);
        if (colon == std::string_view::npos && allow_v4 && group.find('.') != std::string_view::npos) {
            const auto quad = Address::parse_v4(group);
            if (!quad || count + 2 > 8) return false;
            words[count++] = static_cast<std::uint16_t>(quad->v4_value() >> 16);
            words[count++] = static_cast<std::uint16_t>(quad->v4_value());
            return true;
        }
        if (group.empty() || group.size() > 4 || count == 8) return false;
        std::uint16_t word = 0;
        for (const char c : group) {
            const int digit = hex_digit(c);
            if (digit < 0) return false;
            word = static_cast<std::uint16_t>(word << 4 | digit);
        }
        words[count++] = word;
        if (colon == std::string_view::npos) return true;
        text = text.substr(colon + 1);
    }
}

}  // namespace

std::optional<Address> Address::parse_v6(std::string_view text) {
    std::array<std::uint16_t, 8> head{}, tail{};
    std::size_t head_count = 0, tail_count = 0;
    const std::size_t gap = text.find("::");
    if (gap == std::string_view::npos) {
        if (!parse_groups(text, true, head, head_count) || head_count != 8) return std::nullopt;
    } else {
        if (text.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
        if (!parse_groups(text.substr(0, gap), false, head, head_count)) return std::nullopt;
        if (!parse_groups(text.substr(gap + 2), true, tail, tail_count)) return std::nullopt;
        if (head_count + tail_count > 7) return std::nullopt;  // "::" stands for at least one group
    }
    std::array<std::uint16_t, 8> words{};
    for (std::size_t i = 0; i < head_count; ++i) words[i] = head[i];
    for (std::size_t i = 0; i < tail_count; ++i) words[8 - tail_count + i] = tail[i];
    std::array<std::uint8_t, 16> bytes{};
    for (std::size_t i = 0; i < 8; ++i) {
        bytes[2 * i] = static_cast<std::uint8_t>(words[i] >> 8);
        bytes[2 * i + 1] = static_cast<std::uint8_t>(words[i]);
    }
    return v6(bytes);
}

std::optional<Address> Address::parse(std::string_view text) {
    return text.find(':') == std::string_view::npos ? parse_v4(text) : parse_v6(text);
}

std::uint32_t Address::v4_value() const {
    if (!is_v4()) return 0;
    return std::uint32_t{bytes_[0]} << 24 | std::uint32_t{bytes_[1]} << 16 |
           std::uint32_t{bytes_[2]} << 8 | std::uint32_t{bytes_[3]};
}

bool Address::is_unspecified() const {
    for (const auto b : bytes()) {
        if (b != 0) return false;
    }
    return true;
}

namespace {

void append_v6(std::string& out, const std::array<std::uint8_t, 16>& bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::array<std::uint16_t, 8> words{};
    for (std::size_t i = 0; i < 8; ++i) {
        words[i] = static_cast<std::uint16_t>(bytes[2 * i] << 8 | bytes[2 * i + 1]);
    }
    // RFC 5952 §5: an IPv4-mapped address ends in a dotted quad.
    const bool mapped = words[0] == 0 && words[1] == 0 && words[2] == 0 && words[3] == 0 &&
                        words[4] == 0 && words[5] == 0xffff;
    const std::size_t hex_words = mapped ? 6 : 8;
    // RFC 5952 §4.2: the longest run of two or more zero groups becomes "::" (the
    // first one when two runs are equally long).
    std::size_t best = hex_words, best_len = 1;
    for (std::size_t i = 0; i < hex_words;) {
        std::size_t j = i;
        while (j < hex_words && words[j] == 0) ++j;
        if (j - i > best_len) best = i, best_len = j - i;
        i = j == i ? i + 1 : j;
    }
    for (std::size_t i = 0; i < hex_words; ++i) {
        if (i == best) {
            out += "::";
            i += best_len - 1;
            continue;
        }
        if (i != 0 && i != best + best_len) out += ':';
        const std::uint16_t w = words[i];
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            const unsigned digit = (w >> shift) & 0xfu;
            if (digit != 0 || started || shift == 0) {
                out += kHex[digit];
                started = true;
            }
        }
    }
    if (mapped) {
        if (best + best_len != hex_words) out += ':';
        for (std::size_t i = 12; i < 16; ++i) {
            append_decimal(out, bytes[i]);
            if (i != 15) out += '.';
        }
    }
}

}  // namespace

void Address::append_to(std::string& out) const {
    if (!is_v4()) {
        append_v6(out, bytes_);
        return;
    }
    for (std::size_t i = 0; i < 4; ++i) {
        append_decimal(out, bytes_[i]);
        if (i != 3) out += '.';
    }
}

std::string Address::str() const {
    std::string out;
    out.reserve(is_v4() ? 18 : 44);  // room for "/len" too
    append_to(out);
    return out;
}

Address Address::masked(unsigned len) const {
    Address a = *this;
    for (unsigned i = 0; i < 16; ++i) {
        const unsigned first_bit = i * 8;
        if (first_bit >= len) {
            a.bytes_[i] = 0;
        } else if (first_bit + 8 > len) {
            a.bytes_[i] &= static_cast<std::uint8_t>(0xff00u >> (len - first_bit));
        }
    }
    return a;
}

Address Address::filled(unsigned len) const {
    Address a = *this;
    const unsigned size = static_cast<unsigned>(bytes().size());
    for (unsigned i = 0; i < size; ++i) {
        const unsigned first_bit = i * 8;
        if (first_bit >= len) {
            a.bytes_[i] = 0xff;
        } else if (first_bit + 8 > len) {
            a.bytes_[i] |= static_cast<std::uint8_t>(0xffu >> (len - first_bit));
        }
    }
    return a;
}

std::optional<Prefix> Prefix::parse(std::string_view text, std::optional<std::uint8_t> default_len) {
    const std::size_t slash = text.find('/');
    const auto addr = Address::parse(text.substr(0, slash));
    if (!addr) return std::nullopt;
    if (slash == std::string_view::npos) {
        if (!default_len) return std::nullopt;
        const auto len = std::min<unsigned>(*default_len, addr->bits());
        return Prefix{*addr, static_cast<std::uint8_t>(len)};
    }
    const auto len = parse_decimal(text.substr(slash + 1), addr->bits());
    if (!len) return std::nullopt;
    return Prefix{*addr, static_cast<std::uint8_t>(*len)};
}

bool Prefix::contains(const Address& other) const {
    return other.family() == family() && other.masked(len) == network();
}

bool Prefix::overlaps(const Prefix& other) const {
    return len <= other.len ? contains(other.addr) : other.contains(addr);
}

std::string Prefix::str() const {
    std::string out = addr.str();
    out += '/';
    append_decimal(out, len);
    return out;
}

}  // namespace podnetc::ip
