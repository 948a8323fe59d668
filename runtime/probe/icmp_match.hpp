// Which probe a received echo reply (or ICMP error) belongs to. A raw ICMP socket
// sees every echo reply that reaches its namespace (other people's pings, replies
// meant for the other socket of the same namespace, late replies of an earlier
// run), so a reply counts only when everything about it fits one probe in flight.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "compiler/net/net_types.hpp"
#include "runtime/probe/icmp_packet.hpp"

namespace podnetc::rt::icmp {

// What matching needs to know about one probe.
struct InFlight {
    std::uint32_t socket = 0;          // index of the socket that sends it
    ip::Address target;
    std::uint16_t sequence = 0;        // unique among the probes of its socket
    std::uint16_t attempts_sent = 0;   // echo requests sent so far
};

// The socket a message arrived on: its index and the echo id its requests carry
// (for a ping socket the kernel's, which it writes over whatever was sent).
struct SocketIdentity {
    std::uint32_t index = 0;
    std::uint16_t echo_id = 0;
};

// The probe that `reply` (an echo reply from `from`) answers: the run's cookie,
// a probe of this socket, its sequence and target, an attempt already sent.
std::optional<std::uint32_t> match_reply(const Echo& reply, ip::Address from, SocketIdentity socket, std::uint64_t cookie,
                                         std::span<const InFlight> probes);

// The probe that an ICMP error is about: `original` is the request quoted in the
// error, sent to `destination`. The quote may be cut after the echo header (a
// router need quote only 8 bytes); then the sequence finds the probe:
// `by_sequence[s]` is the probe whose sequence on this socket is s.
std::optional<std::uint32_t> match_error(const Echo& original, ip::Address destination, SocketIdentity socket,
                                         std::uint64_t cookie, std::span<const InFlight> probes,
                                         std::span<const std::uint32_t> by_sequence);

}  // namespace podnetc::rt::icmp
