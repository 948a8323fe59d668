// Writing netlink requests into a caller-owned buffer, libmnl style: no allocation
// per message. A RequestBatch holds many requests back to back; the socket sends
// them with as few sendmsg calls as the socket's send limit allows, numbers them
// (one sequence number each) and collects one ack per request (nl_socket.hpp).
// This is podnetc's only netlink message writer: the read requests
// (rtnl_requests) and the plan encoder (netlink_encode) both write through it.
//
//   alignas(8) std::byte buffer[4096];
//   RequestBatch batch(buffer);
//   MessageWriter w = batch.add(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifa);
//   w.put_u32(IFA_LOCAL, htonl(addr)).put_u8(IFA_PROTO, 176);
//   if (!w.ok()) …  // the buffer was too small: the request was dropped
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include <linux/netlink.h>

namespace podnetc::rt::nl {

// Appends attributes to one request. Every put checks the room left in the batch
// buffer; after the first failure ok() is false and further puts do nothing.
class MessageWriter {
public:
    MessageWriter() = default;
    MessageWriter(nlmsghdr* message, std::size_t capacity) : message_(message), capacity_(capacity) {}

    MessageWriter& put(std::uint16_t type, const void* data, std::size_t length);
    MessageWriter& put_u8(std::uint16_t type, std::uint8_t value) { return put(type, &value, 1); }
    MessageWriter& put_u16(std::uint16_t type, std::uint16_t value) { return put(type, &value, 2); }
    MessageWriter& put_u32(std::uint16_t type, std::uint32_t value) { return put(type, &value, 4); }
    MessageWriter& put_s32(std::uint16_t type, std::int32_t value) { return put(type, &value, 4); }
    MessageWriter& put_u64(std::uint16_t type, std::uint64_t value) { return put(type, &value, 8); }
    MessageWriter& put_string(std::uint16_t type, std::string_view value);  // NUL-terminated
    // An IPv4 address given in host order, written in network order.
    MessageWriter& put_be32(std::uint16_t type, std::uint32_t host_order);
    // A fixed header inside the attributes (a veth peer's ifinfomsg in VETH_INFO_PEER).
    template <class Header>
    MessageWriter& put_header(const Header& header) {
        return put_raw(&header, sizeof header);
    }
    MessageWriter& put_raw(const void* data, std::size_t length);

    // Nested attributes: begin_nest() … end_nest(handle).
    nlattr* begin_nest(std::uint16_t type);
    void end_nest(nlattr* nest);

    bool ok() const { return message_ != nullptr && ok_; }
    nlmsghdr* message() const { return message_; }

private:
    nlmsghdr* message_ = nullptr;
    std::size_t capacity_ = 0;  // bytes from message_ to the end of the buffer
    bool ok_ = true;
};

class RequestBatch {
public:
    // The buffer must stay alive and unmoved while the batch is used; it must be
    // aligned for nlmsghdr (4 bytes).
    explicit RequestBatch(std::span<std::byte> buffer) : buffer_(buffer) {}

    // Starts a request: NLM_F_REQUEST | flags, followed by a copy of `family_header`
    // (ifinfomsg, rtmsg, …). The previous request must be complete. Returns a
    // writer for its attributes; !ok() when the buffer has no room (nothing added).
    template <class FamilyHeader>
    MessageWriter add(std::uint16_t type, std::uint16_t flags, const FamilyHeader& family_header) {
        return add_raw(type, flags, &family_header, sizeof family_header);
    }
    MessageWriter add_raw(std::uint16_t type, std::uint16_t flags, const void* family_header,
                          std::size_t header_length);

    // Removes the last request (e.g. after its writer ran out of room).
    void drop_last();
    void clear() { offsets_.clear(); }

    // Whether the buffer is aligned for nlmsghdr (requests are written only then).
    bool aligned() const;
    // Bytes left after the last request.
    std::size_t room() const;

    std::size_t count() const { return offsets_.size(); }
    bool empty() const { return offsets_.empty(); }
    nlmsghdr& request(std::size_t index);
    const nlmsghdr& request(std::size_t index) const;
    // The bytes of requests [first, last).
    std::span<std::byte> bytes(std::size_t first, std::size_t last);

private:
    std::size_t end_offset() const;

    std::span<std::byte> buffer_;
    std::vector<std::size_t> offsets_;
};

}  // namespace podnetc::rt::nl
