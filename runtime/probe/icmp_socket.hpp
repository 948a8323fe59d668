// A non-blocking ICMP socket for echo probes, opened inside a network namespace
// (it stays there, usable from any thread). Two kinds:
//   ping  socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP): the kernel picks the echo id
//         (the socket's "port") and delivers only replies carrying it. Allowed only
//         to groups in net.ipv4.ping_group_range, which is "1 0" (nobody, root
//         included) in every new namespace: EACCES in a pod unless someone set it.
//   raw   socket(AF_INET, SOCK_RAW, IPPROTO_ICMP): needs CAP_NET_RAW; sees every
//         echo reply reaching the namespace (ICMP_FILTER drops all other types),
//         each with its IPv4 header. The caller matches replies (icmp_match.hpp).
// Both report ICMP errors about their requests on the error queue (IP_RECVERR),
// the reply's TTL (IP_RECVTTL) and the kernel's receive time (SO_TIMESTAMPNS).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>

#include "compiler/net/net_types.hpp"
#include "runtime/netns/netns.hpp"
#include "runtime/sys/sys_error.hpp"
#include "runtime/sys/unique_fd.hpp"

namespace podnetc::rt {

enum class IcmpSocketKind { ping, raw };
// `automatic`: a ping socket where ping_group_range allows it, else a raw one.
enum class IcmpSocketChoice { automatic, ping, raw };

// An echo reply as received: the ICMP message (IPv4 header already removed).
struct IcmpReceived {
    std::span<const std::byte> message;
    ip::Address from;
    std::optional<std::uint8_t> ttl;
    std::optional<std::chrono::system_clock::time_point> received_at;  // the kernel's time stamp
};

// An entry of the error queue: an ICMP error (or a local failure) about a request.
struct IcmpReceivedError {
    std::span<const std::byte> original;  // the request as quoted, from its ICMP header on
    ip::Address destination;                     // where the request went
    int error = 0;                        // errno equivalent (EHOSTUNREACH, …)
    bool from_icmp = false;               // an ICMP message, not a local failure
    std::uint8_t type = 0;                // for from_icmp
    std::uint8_t code = 0;
    std::optional<ip::Address> reporter;         // who sent the ICMP error
};

class IcmpSocket {
public:
    // In the calling thread's current namespace. `source`: bind to this address
    // (the requests' source; a raw socket then sees only replies to it).
    // `raw_echo_id`: the echo id a raw socket's requests carry (a ping socket's
    // is the kernel's choice).
    static Result<IcmpSocket> open(IcmpSocketChoice choice, std::optional<ip::Address> source, std::uint16_t raw_echo_id);

    int fd() const { return fd_.get(); }
    IcmpSocketKind kind() const { return kind_; }
    std::uint16_t echo_id() const { return echo_id_; }  // what replies to this socket carry

    // One echo request (an ICMP message as built by icmp::build_echo_request with
    // this socket's echo_id). False when the send buffer is full (wait for POLLOUT).
    Result<bool> send(ip::Address target, std::span<const std::byte> message) const;
    // The next queued reply, or nullopt when none is queued. `buffer` holds it.
    Result<std::optional<IcmpReceived>> receive(std::span<std::byte> buffer) const;
    // The next error queue entry, or nullopt when the queue is empty.
    Result<std::optional<IcmpReceivedError>> receive_error(std::span<std::byte> buffer) const;
    // Reads and clears the socket's pending error (SO_ERROR), which the kernel sets
    // alongside queueing errors and which would keep poll reporting POLLERR.
    void clear_pending_error() const;

private:
    IcmpSocket(UniqueFd fd, IcmpSocketKind kind, std::uint16_t echo_id)
        : fd_(std::move(fd)), kind_(kind), echo_id_(echo_id) {}

    UniqueFd fd_;
    IcmpSocketKind kind_ = IcmpSocketKind::raw;
    std::uint16_t echo_id_ = 0;
};

// The same, inside `netns`, returning to `origin` (the calling thread's current namespace).
Result<IcmpSocket> open_icmp_socket_in(const NetnsHandle& netns, const NetnsHandle& origin, IcmpSocketChoice choice,
                                       std::optional<ip::Address> source, std::uint16_t raw_echo_id);

}  // namespace podnetc::rt
