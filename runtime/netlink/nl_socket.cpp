#include "runtime/netlink/nl_socket.hpp"

#include <algorithm>
#include <cerrno>

#include <fmt/format.h>
#include <libmnl/libmnl.h>
#include <sys/socket.h>

namespace podnetc::rt::nl {
namespace {

// Truesize of one ack in the receive queue is ~832 bytes (KERNEL-FACTS #2); keep
// twice that per request in flight, so a chunk's acks always fit.
constexpr std::size_t kReceiveBytesPerAck = 2048;

Result<void> set_option(mnl_socket* socket, int option, int value, const char* name) {
    if (mnl_socket_setsockopt(socket, option, &value, sizeof value) < 0) {
        return fail(errno, fmt::format("netlink socket option {}", name));
    }
    return {};
}

}  // namespace

bool BatchOutcome::all_ok() const { return first_failure() == acks.size(); }

std::size_t BatchOutcome::first_failure() const {
    const auto it = std::find_if(acks.begin(), acks.end(), [](const Ack& a) { return !a.ok(); });
    return static_cast<std::size_t>(it - acks.begin());
}

Result<NetlinkSocket> NetlinkSocket::open() {
    mnl_socket* raw = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (raw == nullptr) return fail(errno, "open netlink socket");
    NetlinkSocket socket(raw);
    if (auto configured = socket.configure(); !configured) return fail(std::move(configured).error());
    return socket;
}

Result<void> NetlinkSocket::configure() {
    if (mnl_socket_bind(socket_, 0, MNL_SOCKET_AUTOPID) < 0) return fail(errno, "bind netlink socket");
    port_id_ = mnl_socket_get_portid(socket_);
    if (auto r = set_option(socket_, NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK"); !r) return r;
    if (auto r = set_option(socket_, NETLINK_GET_STRICT_CHK, 1, "NETLINK_GET_STRICT_CHK"); !r) return r;
    if (auto r = set_option(socket_, NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK"); !r) return r;

    const int fd = mnl_socket_get_fd(socket_);
    int receive_bytes = kSocketReceiveBufferBytes;
    // SO_RCVBUFFORCE needs CAP_NET_ADMIN; without it the kernel's rmem_max applies.
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &receive_bytes, sizeof receive_bytes) < 0 &&
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_bytes, sizeof receive_bytes) < 0) {
        return fail(errno, "netlink socket receive buffer (SO_RCVBUF)");
    }
    socklen_t length = sizeof receive_bytes;
    if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_bytes, &length) < 0) {
        return fail(errno, "netlink socket receive buffer size");
    }
    int send_bytes = 0;
    length = sizeof send_bytes;
    if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_bytes, &length) < 0) {
        return fail(errno, "netlink socket send buffer size");
    }
    // netlink_sendmsg() refuses messages longer than sk_sndbuf - 32.
    send_limit_ = send_bytes > 32 ? static_cast<std::size_t>(send_bytes) - 32 : 0;
    max_acks_in_flight_ = std::max<std::size_t>(1, static_cast<std::size_t>(receive_bytes) / kReceiveBytesPerAck);
    return {};
}

NetlinkSocket::NetlinkSocket(NetlinkSocket&& other) noexcept
    : socket_(std::exchange(other.socket_, nullptr)),
      port_id_(other.port_id_),
      next_sequence_(other.next_sequence_),
      send_limit_(other.send_limit_),
      max_acks_in_flight_(other.max_acks_in_flight_) {}

NetlinkSocket& NetlinkSocket::operator=(NetlinkSocket&& other) noexcept {
    if (this != &other) {
        if (socket_ != nullptr) mnl_socket_close(socket_);
        socket_ = std::exchange(other.socket_, nullptr);
        port_id_ = other.port_id_;
        next_sequence_ = other.next_sequence_;
        send_limit_ = other.send_limit_;
        max_acks_in_flight_ = other.max_acks_in_flight_;
    }
    return *this;
}

NetlinkSocket::~NetlinkSocket() {
    if (socket_ != nullptr) mnl_socket_close(socket_);
}

int NetlinkSocket::fd() const { return mnl_socket_get_fd(socket_); }

Result<void> NetlinkSocket::send_bytes(std::span<const std::byte> bytes) {
    for (;;) {
        const ssize_t sent = mnl_socket_sendto(socket_, bytes.data(), bytes.size());
        if (sent >= 0) return {};
        if (errno != EINTR) return fail(errno, "netlink sendmsg");
    }
}

Result<std::size_t> NetlinkSocket::receive(std::span<std::byte> buffer) {
    for (;;) {
        const ssize_t received = mnl_socket_recvfrom(socket_, buffer.data(), buffer.size());
        if (received >= 0) return static_cast<std::size_t>(received);
        if (errno == EINTR) continue;
        if (errno == ENOBUFS) {
            return fail_plain(ENOBUFS, "netlink receive: the socket's receive buffer overflowed and messages "
                                 "were lost");
        }
        return fail(errno, "netlink receive");
    }
}

Result<DumpEnd> NetlinkSocket::dump(nlmsghdr& request, std::span<std::byte> receive_buffer,
                                    const DumpHandler& handler) {
    request.nlmsg_flags |= NLM_F_REQUEST | NLM_F_DUMP;
    request.nlmsg_seq = next_sequence_++;
    request.nlmsg_pid = 0;
    if (auto sent = send_bytes({reinterpret_cast<const std::byte*>(&request), request.nlmsg_len}); !sent) {
        return fail(std::move(sent).error());
    }
    std::optional<SysError> handler_error;
    bool interrupted = false;
    for (;;) {
        auto received = receive(receive_buffer);
        if (!received) return fail(std::move(received).error());
        int remaining = static_cast<int>(*received);
        const auto* message = reinterpret_cast<const nlmsghdr*>(receive_buffer.data());
        for (; mnl_nlmsg_ok(message, remaining); message = mnl_nlmsg_next(message, &remaining)) {
            if (message->nlmsg_seq != request.nlmsg_seq || message->nlmsg_pid != port_id_) continue;
            if ((message->nlmsg_flags & NLM_F_DUMP_INTR) != 0) interrupted = true;
            if (message->nlmsg_type == NLMSG_DONE) {
                const Ack status = decode_done(*message);
                if (!status.ok()) return fail_plain(status.error, fmt::format("dump failed: {}", describe(status)));
                if (handler_error) return fail(std::move(*handler_error));
                return interrupted ? DumpEnd::interrupted : DumpEnd::complete;
            }
            if (message->nlmsg_type == NLMSG_ERROR) {
                const auto ack = decode_ack(*message);
                if (!ack) return fail(0, "dump failed: malformed error message from the kernel");
                return fail_plain(ack->error, fmt::format("dump failed: {}", describe(*ack)));
            }
            if (message->nlmsg_type < NLMSG_MIN_TYPE || handler_error) continue;
            if (auto handled = handler(*message); !handled) handler_error = std::move(handled).error();
        }
    }
}

Result<BatchOutcome> NetlinkSocket::send_batch(RequestBatch& batch, std::span<std::byte> receive_buffer,
                                               const BatchOptions& options, const ReplyHandler& on_reply) {
    BatchOutcome outcome;
    outcome.acks.reserve(batch.count());
    std::size_t max_per_send = max_acks_in_flight_;
    if (options.max_requests_per_send != 0) max_per_send = std::min(max_per_send, options.max_requests_per_send);

    std::size_t first = 0;
    while (first < batch.count()) {
        // One chunk: as many requests as fit the send limit and the ack budget.
        std::size_t last = first;
        std::size_t bytes = 0;
        while (last < batch.count() && last - first < max_per_send) {
            const std::size_t size = NLMSG_ALIGN(batch.request(last).nlmsg_len);
            if (last > first && bytes + size > send_limit_) break;
            bytes += size;
            ++last;
        }
        const std::uint32_t base = next_sequence_;
        for (std::size_t i = first; i < last; ++i) {
            nlmsghdr& request = batch.request(i);
            request.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
            request.nlmsg_seq = next_sequence_++;
            request.nlmsg_pid = 0;
        }
        if (auto sent = send_bytes(batch.bytes(first, last)); !sent) return fail(std::move(sent).error());
        ++outcome.sendmsg_calls;
        if (options.after_send) options.after_send(first, last);

        std::vector<std::optional<Ack>> acks(last - first);
        std::size_t missing = acks.size();
        std::optional<SysError> handler_error;
        while (missing > 0) {
            auto received = receive(receive_buffer);
            if (!received) return fail(std::move(received).error());
            int remaining = static_cast<int>(*received);
            const auto* message = reinterpret_cast<const nlmsghdr*>(receive_buffer.data());
            for (; mnl_nlmsg_ok(message, remaining); message = mnl_nlmsg_next(message, &remaining)) {
                if (message->nlmsg_pid != port_id_) continue;
                const std::uint32_t offset = message->nlmsg_seq - base;  // wraps for stale replies
                if (offset >= acks.size()) continue;
                if (message->nlmsg_type == NLMSG_ERROR) {
                    auto ack = decode_ack(*message);
                    if (!ack) return fail(0, "netlink: malformed ack from the kernel");
                    if (!acks[offset]) --missing;
                    acks[offset] = std::move(*ack);
                } else if (message->nlmsg_type >= NLMSG_MIN_TYPE && on_reply && !handler_error) {
                    if (auto handled = on_reply(first + offset, *message); !handled) {
                        handler_error = std::move(handled).error();
                    }
                }
            }
        }
        if (handler_error) return fail(std::move(*handler_error));
        bool failed = false;
        for (auto& ack : acks) {
            failed = failed || !ack->ok();
            outcome.acks.push_back(std::move(*ack));
        }
        first = last;
        if (failed && options.stop_after_failure) break;
    }
    return outcome;
}

}  // namespace podnetc::rt::nl
