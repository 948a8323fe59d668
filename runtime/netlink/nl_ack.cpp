#include "runtime/netlink/nl_ack.hpp"

#include <cstring>

#include <fmt/format.h>

#include "runtime/netlink/nl_attr.hpp"

namespace podnetc::rt::nl {
namespace {

void read_ack_attributes(AttrRange attributes, Ack& ack) {
    for (const nlattr& attr : attributes) {
        switch (attr_type(attr)) {
            case NLMSGERR_ATTR_MSG: ack.message = attr_string(attr); break;
            case NLMSGERR_ATTR_OFFS: ack.bad_attribute_offset = attr_as<std::uint32_t>(attr); break;
            case NLMSGERR_ATTR_MISS_TYPE: ack.missing_attribute = attr_as<std::uint32_t>(attr); break;
            default: break;
        }
    }
}

}  // namespace

std::optional<Ack> decode_ack(const nlmsghdr& message) {
    const auto header = family_header<nlmsgerr>(message);
    if (!header) return std::nullopt;
    Ack ack;
    ack.error = header->error < 0 ? -header->error : header->error;
    if ((message.nlmsg_flags & NLM_F_ACK_TLVS) == 0) return ack;
    // The TLVs follow the echoed request: its header only when capped, else all of it.
    std::size_t echoed = sizeof(nlmsgerr);
    if ((message.nlmsg_flags & NLM_F_CAPPED) == 0) {
        echoed += header->msg.nlmsg_len > NLMSG_HDRLEN ? header->msg.nlmsg_len - NLMSG_HDRLEN : 0;
    }
    read_ack_attributes(AttrRange::of_message(message, echoed), ack);
    return ack;
}

Ack decode_done(const nlmsghdr& message) {
    Ack ack;
    if (const auto status = family_header<int>(message); status && *status < 0) ack.error = -*status;
    if ((message.nlmsg_flags & NLM_F_ACK_TLVS) != 0) {
        read_ack_attributes(AttrRange::of_message(message, sizeof(int)), ack);
    }
    return ack;
}

std::string describe(const Ack& ack) {
    std::string text = ack.error == 0 ? std::string("success") : std::string(std::strerror(ack.error));
    if (!ack.message.empty()) text += fmt::format(" ({})", ack.message);
    return text;
}

}  // namespace podnetc::rt::nl
