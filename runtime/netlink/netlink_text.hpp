// Netlink messages as readable text, one line each: the requests the encoder
// writes and the kernel's answers to them (NLMSG_ERROR acks with the extended-ack
// text). Never hex: every field by name, ifindexes with the names they stand for,
// namespace descriptors as namespace names.
//
//   RTM_NEWLINK create,excl ifindex=5 up name=veth1 group=20558 mac=ee:ee:ee:ee:ee:ee
//       linkinfo{kind=veth data{peer{ifindex=2 name=eth0 netns=pod-1 group=20558}}}   (one line)
//   RTM_NEWROUTE create,excl table=main proto=176 scope=link type=unicast dst=10.10.1.10/32 oif=5(veth1)
//   NLMSG_ERROR EEXIST (File exists) for RTM_NEWROUTE seq=7
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "runtime/netlink/netlink_index_map.hpp"
#include "runtime/netlink/netns_fds.hpp"

namespace podnetc::rt {

struct TextContext {
    std::string_view netns;             // the namespace whose socket carries the messages
    const IndexMap* indexes = nullptr;  // names of ifindexes in it, when known
    const NetnsFds* fds = nullptr;      // names of namespace descriptors, when known
    // Sequence numbers are left out by default: they depend on what else was sent
    // on the socket. Acks always show theirs, which is what ties them to a request.
    bool show_seq = false;
};

// The first message in `bytes` (nlmsg_len may not exceed bytes.size(); a message
// that is cut short is described as such).
std::string message_text(std::span<const std::byte> bytes, const TextContext& context);

// Every message in `bytes`, one line each, each ending in '\n'.
std::string messages_text(std::span<const std::byte> bytes, const TextContext& context);

}  // namespace podnetc::rt
