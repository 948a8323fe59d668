// Helpers for the encoder tests: read back what the encoder wrote with libmnl
// itself (an independent reader), so a test states the fields a message must have.
#pragma once

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "runtime/netlink/netlink_encode.hpp"

namespace podnetc::testing {

// Attributes of one level by type (the last one wins; tests check counts apart).
struct Attrs {
    std::map<std::uint16_t, const nlattr*> by_type;
    std::vector<std::uint16_t> order;

    bool has(std::uint16_t type) const { return by_type.contains(type); }
    const nlattr* at(std::uint16_t type) const { return by_type.at(type); }
    std::uint32_t u32(std::uint16_t type) const { return mnl_attr_get_u32(at(type)); }
    std::uint64_t u64(std::uint16_t type) const { return mnl_attr_get_u64(at(type)); }
    std::uint8_t u8(std::uint16_t type) const { return mnl_attr_get_u8(at(type)); }
    std::string str(std::uint16_t type) const { return mnl_attr_get_str(at(type)); }
    std::vector<std::uint8_t> bytes(std::uint16_t type) const {
        const auto* p = static_cast<const std::uint8_t*>(mnl_attr_get_payload(at(type)));
        return {p, p + mnl_attr_get_payload_len(at(type))};
    }
};

inline int collect(const nlattr* attr, void* data) {
    auto& attrs = *static_cast<Attrs*>(data);
    const auto type = mnl_attr_get_type(attr);
    attrs.by_type[type] = attr;
    attrs.order.push_back(type);
    return MNL_CB_OK;
}

// The attributes after a family header of `header_size` bytes.
inline Attrs attrs_of(const nlmsghdr* message, std::size_t header_size) {
    Attrs attrs;
    mnl_attr_parse(message, static_cast<unsigned>(header_size), collect, &attrs);
    return attrs;
}

inline Attrs nested(const nlattr* nest) {
    Attrs attrs;
    mnl_attr_parse_nested(nest, collect, &attrs);
    return attrs;
}

// Attributes of a stretch of bytes inside a nest (after an embedded header).
inline Attrs attrs_in(const void* start, std::size_t length) {
    Attrs attrs;
    mnl_attr_parse_payload(start, length, collect, &attrs);
    return attrs;
}

template <class Header>
Header header_of(const nlmsghdr* message) {
    Header h;
    std::memcpy(&h, mnl_nlmsg_get_payload(message), sizeof h);
    return h;
}

// A buffer plus the encoder's collaborators, with the result of the last encode.
struct Encoding {
    alignas(8) std::array<std::byte, 4096> buffer{};
    rt::IndexMap indexes;
    rt::NetnsFdMap fds;
    rt::EncodeResult result;

    explicit Encoding(const live::State& live = {}) : indexes(live) {
        fds.add("", 3);
        fds.add("pod-1", 11);
        fds.add("pod-2", 12);
    }

    // Encodes one step at the start of the buffer and numbers it `seq` (as the
    // socket would when sending it).
    const nlmsghdr* encode(const plan::Step& step, std::uint32_t seq = 1) {
        rt::nl::RequestBatch batch(buffer);
        result = rt::encode(step, indexes, fds, batch);
        auto* message = reinterpret_cast<nlmsghdr*>(buffer.data());
        if (result.ok()) message->nlmsg_seq = seq;
        return message;
    }
    std::span<const std::byte> bytes() const { return std::span{buffer}.first(result.length); }
};

}  // namespace podnetc::testing
