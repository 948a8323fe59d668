#include "runtime/probe/icmp_packet.hpp"

#include <fmt/format.h>

namespace podnetc::rt::icmp {
namespace {

std::uint8_t u8_at(std::span<const std::byte> bytes, std::size_t offset) {
    return std::to_integer<std::uint8_t>(bytes[offset]);
}

std::uint16_t be16_at(std::span<const std::byte> bytes, std::size_t offset) {
    return static_cast<std::uint16_t>(u8_at(bytes, offset) << 8 | u8_at(bytes, offset + 1));
}

std::uint32_t be32_at(std::span<const std::byte> bytes, std::size_t offset) {
    return std::uint32_t{be16_at(bytes, offset)} << 16 | be16_at(bytes, offset + 2);
}

std::uint64_t be64_at(std::span<const std::byte> bytes, std::size_t offset) {
    return std::uint64_t{be32_at(bytes, offset)} << 32 | be32_at(bytes, offset + 4);
}

// Big-endian writes of the low `Bytes` bytes of `value`.
template <std::size_t Bytes>
void put_be(std::span<std::byte> bytes, std::size_t offset, std::uint64_t value) {
    for (std::size_t i = 0; i < Bytes; ++i) {
        bytes[offset + i] = static_cast<std::byte>(value >> (8 * (Bytes - 1 - i)));
    }
}

}  // namespace

std::uint16_t internet_checksum(std::span<const std::byte> bytes) {
    std::uint64_t sum = 0;
    std::size_t i = 0;
    for (; i + 1 < bytes.size(); i += 2) sum += be16_at(bytes, i);
    if (i < bytes.size()) sum += std::uint64_t{u8_at(bytes, i)} << 8;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

std::array<std::byte, kEchoSize> build_echo_request(std::uint16_t id, std::uint16_t sequence, const EchoTag& tag) {
    std::array<std::byte, kEchoSize> message{};
    put_be<1>(message, 0, kEchoRequest);
    put_be<1>(message, 1, 0);  // code
    put_be<2>(message, 4, id);
    put_be<2>(message, 6, sequence);
    put_be<8>(message, kHeaderSize, tag.cookie);
    put_be<4>(message, kHeaderSize + 8, tag.probe);
    put_be<2>(message, kHeaderSize + 12, tag.attempt);
    put_be<2>(message, 2, internet_checksum(message));
    return message;
}

std::optional<Echo> parse_echo(std::span<const std::byte> message, bool verify_checksum) {
    if (message.size() < kHeaderSize) return std::nullopt;
    const std::uint8_t type = u8_at(message, 0);
    if ((type != kEchoReply && type != kEchoRequest) || u8_at(message, 1) != 0) return std::nullopt;
    if (verify_checksum && internet_checksum(message) != 0) return std::nullopt;
    Echo echo{type, be16_at(message, 4), be16_at(message, 6), std::nullopt};
    if (message.size() >= kEchoSize) {
        echo.tag = EchoTag{be64_at(message, kHeaderSize), be32_at(message, kHeaderSize + 8),
                           be16_at(message, kHeaderSize + 12)};
    }
    return echo;
}

std::optional<Ipv4Packet> split_ipv4(std::span<const std::byte> packet) {
    constexpr std::size_t kMinHeader = 20;
    if (packet.size() < kMinHeader || u8_at(packet, 0) >> 4 != 4) return std::nullopt;
    const std::size_t header = std::size_t{u8_at(packet, 0) & 0x0fu} * 4;
    const std::size_t total = be16_at(packet, 2);
    if (header < kMinHeader || header > total || total > packet.size()) return std::nullopt;
    return Ipv4Packet{ip::Address::v4(be32_at(packet, 12)), ip::Address::v4(be32_at(packet, 16)), u8_at(packet, 8), u8_at(packet, 9),
                      packet.subspan(header, total - header)};
}

std::string describe_icmp_error(std::uint8_t type, std::uint8_t code) {
    if (type == kDestinationUnreachable) {
        switch (code) {
            case 0: return "destination network unreachable";
            case 1: return "destination host unreachable";
            case 2: return "destination protocol unreachable";
            case 3: return "destination port unreachable";
            case 4: return "fragmentation needed";
            case 5: return "source route failed";
            case 6: return "destination network unknown";
            case 7: return "destination host unknown";
            case 9: return "destination network administratively prohibited";
            case 10: return "destination host administratively prohibited";
            case 13: return "communication administratively prohibited";
            default: break;
        }
    } else if (type == kTimeExceeded) {
        if (code == 0) return "time to live exceeded in transit";
        if (code == 1) return "fragment reassembly time exceeded";
    } else if (type == kParameterProblem) {
        return "parameter problem";
    }
    return fmt::format("ICMP type {} code {}", type, code);
}

}  // namespace podnetc::rt::icmp
