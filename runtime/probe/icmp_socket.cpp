#include "runtime/probe/icmp_socket.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <linux/errqueue.h>
#include <linux/icmp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "runtime/probe/icmp_packet.hpp"

namespace podnetc::rt {
namespace {

// Room for a burst of replies that arrive while the prober is still sending.
constexpr int kReceiveBufferBytes = 1 << 20;

sockaddr_in socket_address(ip::Address address) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(address.v4_value());
    return sa;
}

ip::Address address_of(const sockaddr_in& sa) { return ip::Address::v4(ntohl(sa.sin_addr.s_addr)); }

Result<void> set_int_option(int fd, int level, int name, int value, const char* what) {
    if (setsockopt(fd, level, name, &value, sizeof value) < 0) return fail(errno, fmt::format("set {}", what));
    return {};
}

Result<void> set_common_options(int fd) {
    // Root may exceed net.core.rmem_max; anybody else gets what rmem_max allows.
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &kReceiveBufferBytes, sizeof kReceiveBufferBytes) < 0) {
        (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kReceiveBufferBytes, sizeof kReceiveBufferBytes);
    }
    if (auto set = set_int_option(fd, IPPROTO_IP, IP_RECVERR, 1, "IP_RECVERR"); !set) return set;
    if (auto set = set_int_option(fd, IPPROTO_IP, IP_RECVTTL, 1, "IP_RECVTTL"); !set) return set;
    return set_int_option(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
}

Result<void> bind_source(int fd, std::optional<ip::Address> source) {
    sockaddr_in sa = socket_address(source.value_or(ip::Address::v4(0)));
    if (bind(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) < 0) {
        return fail(errno, source ? fmt::format("bind the ICMP socket to {}", source->str()) : "bind the ICMP socket");
    }
    return {};
}

Result<UniqueFd> open_ping_socket(std::optional<ip::Address> source, std::uint16_t& echo_id) {
    UniqueFd fd(socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP));
    if (!fd.valid()) return fail(errno, "open a ping socket");
    // Binding with port 0 makes the kernel pick the echo id now, so we know it.
    if (auto bound = bind_source(fd.get(), source); !bound) return fail(std::move(bound).error());
    sockaddr_in sa{};
    socklen_t length = sizeof sa;
    if (getsockname(fd.get(), reinterpret_cast<sockaddr*>(&sa), &length) < 0) {
        return fail(errno, "read the ping socket's echo id");
    }
    echo_id = ntohs(sa.sin_port);
    return fd;
}

Result<UniqueFd> open_raw_socket(std::optional<ip::Address> source) {
    UniqueFd fd(socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP));
    if (!fd.valid()) return fail(errno, "open a raw ICMP socket");
    icmp_filter filter{};
    filter.data = ~(1u << icmp::kEchoReply);  // a set bit drops that type
    if (setsockopt(fd.get(), SOL_RAW, ICMP_FILTER, &filter, sizeof filter) < 0) {
        return fail(errno, "set ICMP_FILTER");
    }
    if (source) {
        if (auto bound = bind_source(fd.get(), source); !bound) return fail(std::move(bound).error());
    }
    return fd;
}

// Errors that mean "this kind of socket is not allowed here", not "broken".
bool not_permitted(int code) {
    return code == EACCES || code == EPERM || code == EPROTONOSUPPORT || code == ESOCKTNOSUPPORT;
}

// The ancillary data both kinds of socket deliver with a reply.
struct ReplyControl {
    std::optional<std::uint8_t> ttl;
    std::optional<std::chrono::system_clock::time_point> stamp;
};

ReplyControl read_reply_control(msghdr& header) {
    ReplyControl control;
    for (cmsghdr* c = CMSG_FIRSTHDR(&header); c != nullptr; c = CMSG_NXTHDR(&header, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
            int ttl = 0;
            std::memcpy(&ttl, CMSG_DATA(c), sizeof ttl);
            control.ttl = static_cast<std::uint8_t>(ttl);
        } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            timespec stamp{};
            std::memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
            const auto since_epoch = std::chrono::seconds(stamp.tv_sec) + std::chrono::nanoseconds(stamp.tv_nsec);
            control.stamp = std::chrono::system_clock::time_point(
                std::chrono::duration_cast<std::chrono::system_clock::duration>(since_epoch));
        }
    }
    return control;
}

}  // namespace

Result<IcmpSocket> IcmpSocket::open(IcmpSocketChoice choice, std::optional<ip::Address> source, std::uint16_t raw_echo_id) {
    std::optional<SysError> ping_error;
    if (choice != IcmpSocketChoice::raw) {
        std::uint16_t echo_id = 0;
        auto ping = open_ping_socket(source, echo_id);
        if (ping) {
            if (auto set = set_common_options(ping->get()); !set) return fail(std::move(set).error());
            return IcmpSocket(std::move(*ping), IcmpSocketKind::ping, echo_id);
        }
        if (choice == IcmpSocketChoice::ping || !not_permitted(ping.error().code)) return fail(std::move(ping).error());
        ping_error = std::move(ping).error();
    }
    auto raw = open_raw_socket(source);
    if (!raw) {
        if (!ping_error || !not_permitted(raw.error().code)) return fail(std::move(raw).error());
        // Neither kind: say why for both, ping_group_range being the usual reason for the first.
        return fail_plain(raw.error().code,
                          fmt::format("{} (not in net.ipv4.ping_group_range), and {}", ping_error->message,
                                      raw.error().message));
    }
    if (auto set = set_common_options(raw->get()); !set) return fail(std::move(set).error());
    return IcmpSocket(std::move(*raw), IcmpSocketKind::raw, raw_echo_id);
}

Result<bool> IcmpSocket::send(ip::Address target, std::span<const std::byte> message) const {
    const sockaddr_in to = socket_address(target);
    const ssize_t sent =
        sendto(fd_.get(), message.data(), message.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    if (sent < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
        return fail(errno, fmt::format("send an echo request to {}", target.str()));
    }
    return true;
}

Result<std::optional<IcmpReceived>> IcmpSocket::receive(std::span<std::byte> buffer) const {
    sockaddr_in from{};
    iovec data{buffer.data(), buffer.size()};
    alignas(cmsghdr) std::array<char, 256> control{};
    msghdr header{};
    header.msg_name = &from;
    header.msg_namelen = sizeof from;
    header.msg_iov = &data;
    header.msg_iovlen = 1;
    header.msg_control = control.data();
    header.msg_controllen = control.size();
    const ssize_t received = recvmsg(fd_.get(), &header, 0);
    if (received < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return std::optional<IcmpReceived>{};
        return fail(errno, "receive an echo reply");
    }
    const auto [ttl, stamp] = read_reply_control(header);
    IcmpReceived reply{buffer.first(static_cast<std::size_t>(received)), address_of(from), ttl, stamp};
    if (kind_ == IcmpSocketKind::raw) {
        // A malformed packet leaves an empty message, which matches nothing.
        const auto packet = icmp::split_ipv4(reply.message);
        reply.message = packet && packet->protocol == icmp::kIpProtocolIcmp ? packet->payload
                                                                             : std::span<const std::byte>{};
        if (packet) reply.ttl = packet->ttl;
    }
    return std::optional<IcmpReceived>(reply);
}

Result<std::optional<IcmpReceivedError>> IcmpSocket::receive_error(std::span<std::byte> buffer) const {
    sockaddr_in destination{};
    iovec data{buffer.data(), buffer.size()};
    alignas(cmsghdr) std::array<char, 512> control{};
    msghdr header{};
    header.msg_name = &destination;
    header.msg_namelen = sizeof destination;
    header.msg_iov = &data;
    header.msg_iovlen = 1;
    header.msg_control = control.data();
    header.msg_controllen = control.size();
    const ssize_t received = recvmsg(fd_.get(), &header, MSG_ERRQUEUE);
    if (received < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return std::optional<IcmpReceivedError>{};
        return fail(errno, "read the ICMP socket's error queue");
    }
    IcmpReceivedError entry{};
    entry.original = buffer.first(static_cast<std::size_t>(received));
    entry.destination = address_of(destination);
    for (cmsghdr* c = CMSG_FIRSTHDR(&header); c != nullptr; c = CMSG_NXTHDR(&header, c)) {
        if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_RECVERR) continue;
        sock_extended_err error{};
        std::memcpy(&error, CMSG_DATA(c), sizeof error);
        entry.error = static_cast<int>(error.ee_errno);
        entry.from_icmp = error.ee_origin == SO_EE_ORIGIN_ICMP;
        entry.type = error.ee_type;
        entry.code = error.ee_code;
        // The offender's address follows the extended error in the same cmsg.
        const std::size_t offender_at = sizeof error;
        if (c->cmsg_len >= CMSG_LEN(offender_at + sizeof(sockaddr_in))) {
            sockaddr_in offender{};
            std::memcpy(&offender, CMSG_DATA(c) + offender_at, sizeof offender);
            if (offender.sin_family == AF_INET) entry.reporter = address_of(offender);
        }
    }
    return std::optional<IcmpReceivedError>(entry);
}

void IcmpSocket::clear_pending_error() const {
    int pending = 0;
    socklen_t length = sizeof pending;
    (void)getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &pending, &length);
}

Result<IcmpSocket> open_icmp_socket_in(const NetnsHandle& netns, const NetnsHandle& origin, IcmpSocketChoice choice,
                                       std::optional<ip::Address> source, std::uint16_t raw_echo_id) {
    auto inside = ScopedNetns::enter(netns, origin);
    if (!inside) return fail(std::move(inside).error());
    return IcmpSocket::open(choice, source, raw_echo_id);
}

}  // namespace podnetc::rt
