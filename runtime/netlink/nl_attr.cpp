#include "runtime/netlink/nl_attr.hpp"

#include <libmnl/libmnl.h>

namespace podnetc::rt::nl {

AttrRange AttrRange::of_message(const nlmsghdr& message, std::size_t header_length) {
    const std::size_t start = NLMSG_HDRLEN + NLMSG_ALIGN(header_length);
    if (message.nlmsg_len < start) return AttrRange(nullptr, 0);
    return AttrRange(reinterpret_cast<const std::byte*>(&message) + start, message.nlmsg_len - start);
}

AttrRange AttrRange::of_nested(const nlattr& nest) {
    const auto payload = attr_payload(nest);
    return AttrRange(payload.data(), payload.size());
}

AttrRange::iterator::iterator(const std::byte* at, std::size_t remaining)
    : at_(at), remaining_(remaining) {
    settle();
}

// Ends the iteration (at_ = nullptr) unless a complete attribute starts at at_.
void AttrRange::iterator::settle() {
    if (at_ == nullptr) return;
    if (remaining_ > static_cast<std::size_t>(INT32_MAX) ||
        !mnl_attr_ok(reinterpret_cast<const nlattr*>(at_), static_cast<int>(remaining_))) {
        at_ = nullptr;
        remaining_ = 0;
    }
}

AttrRange::iterator& AttrRange::iterator::operator++() {
    const auto& attr = *reinterpret_cast<const nlattr*>(at_);
    const std::size_t step = MNL_ALIGN(attr.nla_len);
    if (step >= remaining_) {
        at_ = nullptr;
        remaining_ = 0;
        return *this;
    }
    at_ += step;
    remaining_ -= step;
    settle();
    return *this;
}

bool AttrRange::well_formed() const {
    const std::byte* at = data_;
    std::size_t remaining = length_;
    while (remaining != 0) {
        if (remaining > static_cast<std::size_t>(INT32_MAX) ||
            !mnl_attr_ok(reinterpret_cast<const nlattr*>(at), static_cast<int>(remaining))) {
            return false;
        }
        const std::size_t step = MNL_ALIGN(reinterpret_cast<const nlattr*>(at)->nla_len);
        if (step >= remaining) return true;
        at += step;
        remaining -= step;
    }
    return true;
}

std::uint16_t attr_type(const nlattr& attr) { return mnl_attr_get_type(&attr); }

std::span<const std::byte> attr_payload(const nlattr& attr) {
    return {static_cast<const std::byte*>(mnl_attr_get_payload(&attr)), mnl_attr_get_payload_len(&attr)};
}

std::string attr_string(const nlattr& attr) {
    const auto payload = attr_payload(attr);
    const auto* chars = reinterpret_cast<const char*>(payload.data());
    return std::string(chars, strnlen(chars, payload.size()));
}

}  // namespace podnetc::rt::nl
