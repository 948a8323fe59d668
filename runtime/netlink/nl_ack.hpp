// Decoding the kernel's answers to requests: NLMSG_ERROR (an ack: error 0, or a
// failure with the extended-ack text) and the error code at the end of a dump.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <linux/netlink.h>

namespace podnetc::rt::nl {

struct Ack {
    int error = 0;        // 0: done; else a positive errno
    std::string message;  // NLMSGERR_ATTR_MSG, "" when the kernel gave no text
    // NLMSGERR_ATTR_OFFS: byte offset of the offending attribute in the request.
    std::optional<std::uint32_t> bad_attribute_offset;
    // NLMSGERR_ATTR_MISS_TYPE: the type of a missing required attribute.
    std::optional<std::uint32_t> missing_attribute;

    bool ok() const { return error == 0; }
};

// An NLMSG_ERROR message (nullopt if it is malformed). Handles both the capped
// form (NETLINK_CAP_ACK: only the request's header is echoed) and the full one.
std::optional<Ack> decode_ack(const nlmsghdr& message);

// The status of an NLMSG_DONE that ends a dump (error 0 for a complete dump).
Ack decode_done(const nlmsghdr& message);

// "File exists", or "File exists (Nexthop has invalid gateway)" with ext-ack text.
std::string describe(const Ack& ack);

}  // namespace podnetc::rt::nl
