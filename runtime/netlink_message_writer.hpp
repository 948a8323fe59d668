// One netlink request written into a caller-owned buffer through libmnl, with every
// write checked against the room left: after the first write that does not fit,
// ok() is false and the rest are skipped, so the caller checks once at the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include <linux/netlink.h>

namespace podnetc::rt {

class MessageWriter {
public:
    // Starts a message of `type` at the start of `buffer` (NLM_F_REQUEST is added).
    MessageWriter(std::span<std::byte> buffer, std::uint16_t type, std::uint16_t flags, std::uint32_t seq);

    // Appends a fixed header (ifinfomsg, rtmsg, …) at the current end: the family
    // header right after the netlink header, or the peer's ifinfomsg inside a veth's
    // VETH_INFO_PEER.
    template <class Header>
    void header(const Header& value) {
        raw(&value, sizeof value);
    }

    void u8(std::uint16_t type, std::uint8_t value);
    void u32(std::uint16_t type, std::uint32_t value);
    void u64(std::uint16_t type, std::uint64_t value);
    void be32(std::uint16_t type, std::uint32_t host_order);  // an IPv4 address
    void bytes(std::uint16_t type, std::span<const std::uint8_t> value);
    void string(std::uint16_t type, std::string_view value);  // NUL-terminated

    nlattr* begin_nest(std::uint16_t type);
    void end_nest(nlattr* nest);

    bool ok() const { return ok_; }
    // The finished message's length, padded (a multiple of 4).
    std::size_t length() const;

private:
    void raw(const void* data, std::size_t size);

    nlmsghdr* message_ = nullptr;
    std::size_t capacity_ = 0;
    bool ok_ = false;
};

}  // namespace podnetc::rt
