// Reading netlink messages: iterate attributes and read typed payloads with length
// checks, so that a short or odd attribute is skipped instead of read past its end.
// Pure functions over bytes (libmnl helpers only); used by every decoder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>

#include <linux/netlink.h>

namespace podnetc::rt::nl {

// The attributes in one stretch of bytes: after a message's family header, or
// inside a nested attribute. Iteration stops at the first malformed attribute.
class AttrRange {
public:
    AttrRange(const void* data, std::size_t length)
        : data_(static_cast<const std::byte*>(data)), length_(length) {}

    // The attributes of `message` that follow a family header of `header_length` bytes
    // (empty when the message is too short to hold that header).
    static AttrRange of_message(const nlmsghdr& message, std::size_t header_length);
    static AttrRange of_nested(const nlattr& nest);

    class iterator {
    public:
        iterator(const std::byte* at, std::size_t remaining);
        const nlattr& operator*() const { return *reinterpret_cast<const nlattr*>(at_); }
        iterator& operator++();
        bool operator==(const iterator& other) const { return at_ == other.at_; }

    private:
        void settle();
        const std::byte* at_;
        std::size_t remaining_;
    };

    iterator begin() const { return iterator(data_, length_); }
    iterator end() const { return iterator(nullptr, 0); }

    // Whether the attributes cover every byte (the last one may lack its padding),
    // i.e. iteration did not stop at a malformed attribute.
    bool well_formed() const;

private:
    const std::byte* data_;
    std::size_t length_;
};

// Attribute type without the NLA_F_NESTED / NLA_F_NET_BYTEORDER bits.
std::uint16_t attr_type(const nlattr& attr);
std::span<const std::byte> attr_payload(const nlattr& attr);

// A fixed-size payload, nullopt when the attribute is shorter than T.
template <class T>
std::optional<T> attr_as(const nlattr& attr) {
    const auto payload = attr_payload(attr);
    if (payload.size() < sizeof(T)) return std::nullopt;
    T value;
    std::memcpy(&value, payload.data(), sizeof(T));
    return value;
}

// A NUL-terminated (or not) string payload, up to the first NUL.
std::string attr_string(const nlattr& attr);

// The family header (ifinfomsg, rtmsg, …) of a message, nullopt when too short.
template <class T>
std::optional<T> family_header(const nlmsghdr& message) {
    if (message.nlmsg_len < NLMSG_HDRLEN + sizeof(T)) return std::nullopt;
    T header;
    std::memcpy(&header, reinterpret_cast<const std::byte*>(&message) + NLMSG_HDRLEN, sizeof(T));
    return header;
}

}  // namespace podnetc::rt::nl
