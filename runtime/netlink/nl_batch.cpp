#include "runtime/netlink/nl_batch.hpp"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>

#include <bit>

namespace podnetc::rt::nl {

MessageWriter& MessageWriter::put(std::uint16_t type, const void* data, std::size_t length) {
    if (!ok()) return *this;
    ok_ = mnl_attr_put_check(message_, capacity_, type, length, data);
    return *this;
}

MessageWriter& MessageWriter::put_string(std::uint16_t type, std::string_view value) {
    if (!ok()) return *this;
    // Room for the terminating NUL, then copy: the view need not be NUL-terminated.
    const std::size_t length = value.size() + 1;
    if (message_->nlmsg_len + MNL_ATTR_HDRLEN + MNL_ALIGN(length) > capacity_) {
        ok_ = false;
        return *this;
    }
    auto* attr = static_cast<nlattr*>(mnl_nlmsg_get_payload_tail(message_));
    attr->nla_type = type;
    attr->nla_len = static_cast<std::uint16_t>(MNL_ATTR_HDRLEN + length);
    auto* payload = static_cast<char*>(mnl_attr_get_payload(attr));
    std::memcpy(payload, value.data(), value.size());
    std::memset(payload + value.size(), 0, MNL_ALIGN(length) - value.size());
    message_->nlmsg_len += MNL_ALIGN(attr->nla_len);
    return *this;
}

MessageWriter& MessageWriter::put_be32(std::uint16_t type, std::uint32_t host_order) {
    return put_u32(type, htonl(host_order));
}

MessageWriter& MessageWriter::put_raw(const void* data, std::size_t length) {
    if (!ok()) return *this;
    if (message_->nlmsg_len + MNL_ALIGN(length) > capacity_) {
        ok_ = false;
        return *this;
    }
    void* at = mnl_nlmsg_put_extra_header(message_, length);  // zeroes the padding
    std::memcpy(at, data, length);
    return *this;
}

nlattr* MessageWriter::begin_nest(std::uint16_t type) {
    if (!ok()) return nullptr;
    nlattr* nest = mnl_attr_nest_start_check(message_, capacity_, type);
    if (nest == nullptr) ok_ = false;
    return nest;
}

void MessageWriter::end_nest(nlattr* nest) {
    if (!ok() || nest == nullptr) return;
    mnl_attr_nest_end(message_, nest);
}

std::size_t RequestBatch::end_offset() const {
    if (offsets_.empty()) return 0;
    const auto& last = *reinterpret_cast<const nlmsghdr*>(buffer_.data() + offsets_.back());
    return offsets_.back() + NLMSG_ALIGN(last.nlmsg_len);
}

bool RequestBatch::aligned() const { return std::bit_cast<std::uintptr_t>(buffer_.data()) % NLMSG_ALIGNTO == 0; }

std::size_t RequestBatch::room() const {
    const std::size_t used = end_offset();
    return used < buffer_.size() ? buffer_.size() - used : 0;
}

MessageWriter RequestBatch::add_raw(std::uint16_t type, std::uint16_t flags, const void* family_header,
                                    std::size_t header_length) {
    if (!aligned()) return MessageWriter();
    const std::size_t offset = end_offset();
    const std::size_t needed = NLMSG_HDRLEN + NLMSG_ALIGN(header_length);
    if (offset > buffer_.size() || buffer_.size() - offset < needed) return MessageWriter();
    std::byte* at = buffer_.data() + offset;
    nlmsghdr* message = mnl_nlmsg_put_header(at);
    message->nlmsg_type = type;
    message->nlmsg_flags = static_cast<std::uint16_t>(NLM_F_REQUEST | flags);
    if (header_length > 0) {
        void* header = mnl_nlmsg_put_extra_header(message, header_length);
        std::memcpy(header, family_header, header_length);
    }
    offsets_.push_back(offset);
    return MessageWriter(message, buffer_.size() - offset);
}

void RequestBatch::drop_last() {
    if (!offsets_.empty()) offsets_.pop_back();
}

nlmsghdr& RequestBatch::request(std::size_t index) {
    return *reinterpret_cast<nlmsghdr*>(buffer_.data() + offsets_.at(index));
}

const nlmsghdr& RequestBatch::request(std::size_t index) const {
    return *reinterpret_cast<const nlmsghdr*>(buffer_.data() + offsets_.at(index));
}

std::span<std::byte> RequestBatch::bytes(std::size_t first, std::size_t last) {
    if (first >= last || last > offsets_.size()) return {};
    const std::size_t begin = offsets_[first];
    const auto& final_request = request(last - 1);
    const std::size_t end = offsets_[last - 1] + NLMSG_ALIGN(final_request.nlmsg_len);
    return buffer_.subspan(begin, end - begin);
}

}  // namespace podnetc::rt::nl
