// One NETLINK_ROUTE socket (libmnl), bound to the network namespace it was opened
// in (see netns_socket.hpp to open one inside another namespace). Set up for exact
// error reporting and big transfers:
//   NETLINK_EXT_ACK         the kernel's error text comes with failed acks;
//   NETLINK_GET_STRICT_CHK  dump requests are checked and their filters honoured;
//   NETLINK_CAP_ACK         acks do not echo the request's payload (smaller);
//   SO_RCVBUFFORCE          room for thousands of acks (KERNEL-FACTS #2: beyond the
//                           default ~256, acks are lost while the changes are applied).
// Receive buffers are the caller's (kReceiveBufferSize is right for dumps: the
// kernel fills up to 32 KiB per read once it has seen a reader that large).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include <linux/netlink.h>

#include "runtime/netlink/nl_ack.hpp"
#include "runtime/netlink/nl_batch.hpp"
#include "runtime/sys/sys_error.hpp"

struct mnl_socket;

namespace podnetc::rt::nl {

inline constexpr std::size_t kReceiveBufferSize = 64 * 1024;
inline constexpr int kSocketReceiveBufferBytes = 8 * 1024 * 1024;

// Called for each message of a dump.
using DumpHandler = std::function<Result<void>(const nlmsghdr& message)>;
// Called for each reply to a batched request that is not its ack (e.g. the answer
// to a GET, or an NLM_F_ECHO copy), with the request's index in the batch.
using ReplyHandler = std::function<Result<void>(std::size_t request_index, const nlmsghdr& message)>;

enum class DumpEnd { complete, interrupted };

struct BatchOptions {
    // Stop sending after the first chunk that had a failed request (the kernel goes
    // on after a failure within one sendmsg; see KERNEL-FACTS #2).
    bool stop_after_failure = true;
    // Upper bound of requests per sendmsg (besides the socket's send limit); 0: no bound
    // beyond what the receive buffer can hold in acks.
    std::size_t max_requests_per_send = 0;
    // Called after each sendmsg with the requests it carried [first, last), before
    // their acks are read (the applier's test switch PODNETC_TEST_KILL_AT dies there).
    std::function<void(std::size_t first, std::size_t last)> after_send;
};

struct BatchOutcome {
    // One ack per request that was sent, in batch order; acks.size() < batch.count()
    // when sending stopped after a failure (the rest were not sent).
    std::vector<Ack> acks;
    std::size_t sendmsg_calls = 0;

    bool all_ok() const;
    // Index of the first failed request, or acks.size() if none failed.
    std::size_t first_failure() const;
};

class NetlinkSocket {
public:
    // A socket in the calling thread's current network namespace.
    static Result<NetlinkSocket> open();

    NetlinkSocket(NetlinkSocket&& other) noexcept;
    NetlinkSocket& operator=(NetlinkSocket&& other) noexcept;
    NetlinkSocket(const NetlinkSocket&) = delete;
    NetlinkSocket& operator=(const NetlinkSocket&) = delete;
    ~NetlinkSocket();

    // Sends one dump request (NLM_F_DUMP is added) and calls `handler` for every
    // message until NLMSG_DONE. The whole dump is always read, even after a handler
    // error (returned at the end), so the socket stays usable. `interrupted`: the
    // kernel flagged NLM_F_DUMP_INTR (the data changed meanwhile): dump again.
    // `request` is one complete message (e.g. RequestBatch::request(0)).
    Result<DumpEnd> dump(nlmsghdr& request, std::span<std::byte> receive_buffer,
                         const DumpHandler& handler);

    // Sends every request of the batch (NLM_F_ACK is added to each, and a sequence
    // number), in as few sendmsg calls as the limits allow, and collects one ack per
    // request. Not for dump requests. Within one sendmsg the kernel carries on after
    // a failed request; BatchOptions decide whether later sendmsgs still happen.
    // An error result (rather than acks) means the fate of requests already sent is
    // unknown: re-read the live state before deciding anything.
    Result<BatchOutcome> send_batch(RequestBatch& batch, std::span<std::byte> receive_buffer,
                                    const BatchOptions& options = {}, const ReplyHandler& on_reply = {});

    // Bytes one sendmsg may carry (SO_SNDBUF - 32).
    std::size_t send_limit() const { return send_limit_; }
    int fd() const;
    // The socket's netlink port: the nlmsg_pid of the notifications its requests cause.
    std::uint32_t port_id() const { return port_id_; }

private:
    explicit NetlinkSocket(mnl_socket* socket) : socket_(socket) {}
    Result<void> configure();
    Result<std::size_t> receive(std::span<std::byte> buffer);
    Result<void> send_bytes(std::span<const std::byte> bytes);

    mnl_socket* socket_ = nullptr;
    std::uint32_t port_id_ = 0;
    std::uint32_t next_sequence_ = 1;
    std::size_t send_limit_ = 0;
    std::size_t max_acks_in_flight_ = 0;
};

}  // namespace podnetc::rt::nl
