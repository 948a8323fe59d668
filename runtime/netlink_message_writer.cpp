#include "runtime/netlink_message_writer.hpp"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>

#include <bit>
#include <string>

namespace podnetc::rt {

MessageWriter::MessageWriter(std::span<std::byte> buffer, std::uint16_t type, std::uint16_t flags,
                             std::uint32_t seq)
    : capacity_(buffer.size()) {
    const bool aligned = std::bit_cast<std::uintptr_t>(buffer.data()) % NLMSG_ALIGNTO == 0;
    if (!aligned || buffer.size() < NLMSG_HDRLEN) return;
    message_ = mnl_nlmsg_put_header(buffer.data());
    message_->nlmsg_type = type;
    message_->nlmsg_flags = static_cast<std::uint16_t>(NLM_F_REQUEST | flags);
    message_->nlmsg_seq = seq;
    ok_ = true;
}

void MessageWriter::raw(const void* data, std::size_t size) {
    if (!ok_) return;
    if (message_->nlmsg_len + MNL_ALIGN(size) > capacity_) {
        ok_ = false;
        return;
    }
    void* at = mnl_nlmsg_put_extra_header(message_, size);
    std::memcpy(at, data, size);
}

void MessageWriter::u8(std::uint16_t type, std::uint8_t value) {
    ok_ = ok_ && mnl_attr_put_u8_check(message_, capacity_, type, value);
}

void MessageWriter::u32(std::uint16_t type, std::uint32_t value) {
    ok_ = ok_ && mnl_attr_put_u32_check(message_, capacity_, type, value);
}

void MessageWriter::u64(std::uint16_t type, std::uint64_t value) {
    ok_ = ok_ && mnl_attr_put_u64_check(message_, capacity_, type, value);
}

void MessageWriter::be32(std::uint16_t type, std::uint32_t host_order) { u32(type, htonl(host_order)); }

void MessageWriter::bytes(std::uint16_t type, std::span<const std::uint8_t> value) {
    ok_ = ok_ && mnl_attr_put_check(message_, capacity_, type, value.size(), value.data());
}

void MessageWriter::string(std::uint16_t type, std::string_view value) {
    const std::string terminated{value};
    ok_ = ok_ && mnl_attr_put_strz_check(message_, capacity_, type, terminated.c_str());
}

nlattr* MessageWriter::begin_nest(std::uint16_t type) {
    if (!ok_) return nullptr;
    nlattr* nest = mnl_attr_nest_start_check(message_, capacity_, type);
    ok_ = nest != nullptr;
    return nest;
}

void MessageWriter::end_nest(nlattr* nest) {
    if (ok_ && nest != nullptr) mnl_attr_nest_end(message_, nest);
}

std::size_t MessageWriter::length() const { return ok_ ? MNL_ALIGN(message_->nlmsg_len) : 0; }

}  // namespace podnetc::rt
