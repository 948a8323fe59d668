// ICMP echo messages as the prober writes and reads them: the internet checksum,
// building a request, parsing a reply (or the original request quoted by an ICMP
// error), splitting the IPv4 header a raw socket delivers, and the words for ICMP
// errors. Pure functions: no sockets here (icmp_socket.hpp has those).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "compiler/net/net_types.hpp"

namespace podnetc::rt::icmp {

inline constexpr std::uint8_t kEchoReply = 0;
inline constexpr std::uint8_t kDestinationUnreachable = 3;
inline constexpr std::uint8_t kEchoRequest = 8;
inline constexpr std::uint8_t kTimeExceeded = 11;
inline constexpr std::uint8_t kParameterProblem = 12;

inline constexpr std::uint8_t kIpProtocolIcmp = 1;

// What follows the 8-byte echo header, so that a reply names the probe and the
// attempt it answers: a random cookie per run (nobody else's ping and no earlier
// run ever matches), the probe's index and the attempt number.
struct EchoTag {
    std::uint64_t cookie = 0;
    std::uint32_t probe = 0;
    std::uint16_t attempt = 0;
    friend bool operator==(const EchoTag&, const EchoTag&) = default;
};

inline constexpr std::size_t kHeaderSize = 8;
inline constexpr std::size_t kTagSize = 16;  // cookie 8, probe 4, attempt 2, 2 zero bytes
inline constexpr std::size_t kEchoSize = kHeaderSize + kTagSize;

struct Echo {
    std::uint8_t type = 0;
    std::uint16_t id = 0;
    std::uint16_t sequence = 0;
    std::optional<EchoTag> tag;  // absent when the payload is too short to hold one
};

// RFC 1071: the one's complement of the one's complement sum of the big-endian
// 16-bit words (an odd last byte is padded with zero). Stored big-endian in the
// header it makes the checksum of the whole message 0.
std::uint16_t internet_checksum(std::span<const std::byte> bytes);

// An echo request (type 8, code 0) with its checksum filled in.
std::array<std::byte, kEchoSize> build_echo_request(std::uint16_t id, std::uint16_t sequence, const EchoTag& tag);

// An echo request or reply with code 0 and at least the 8-byte header, or nullopt.
// `verify_checksum` is off for requests quoted inside ICMP errors, which may be cut short.
std::optional<Echo> parse_echo(std::span<const std::byte> message, bool verify_checksum);

// What a raw socket delivers: an IPv4 header, then the ICMP message.
struct Ipv4Packet {
    ip::Address source;
    ip::Address destination;
    std::uint8_t ttl = 0;
    std::uint8_t protocol = 0;
    std::span<const std::byte> payload;
};
// Nullopt unless version 4, a header length within the data, and a total length
// that covers the header (the payload ends at the total length).
std::optional<Ipv4Packet> split_ipv4(std::span<const std::byte> packet);

// "destination host unreachable", "time to live exceeded in transit", …;
// "ICMP type T code C" for the rest.
std::string describe_icmp_error(std::uint8_t type, std::uint8_t code);

}  // namespace podnetc::rt::icmp
