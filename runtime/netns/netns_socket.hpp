// A netlink socket that belongs to another network namespace: enter it, open the
// socket (for requests, or subscribed to notifications), return. The socket keeps working in that namespace from any thread, and
// keeps the namespace alive until it is closed.
#pragma once

#include "runtime/netns/netns.hpp"
#include "runtime/netlink/nl_socket.hpp"
#include "runtime/sys/unique_fd.hpp"

namespace podnetc::rt {

Result<nl::NetlinkSocket> open_netlink_socket_in(const NetnsHandle& netns);
// The same, returning to `origin` (the calling thread's current namespace).
Result<nl::NetlinkSocket> open_netlink_socket_in(const NetnsHandle& netns, const NetnsHandle& origin);

// A socket subscribed to rtnetlink notifications inside `netns` (nl::subscribe_rtnetlink).
Result<UniqueFd> subscribe_rtnetlink_in(const NetnsHandle& netns);
Result<UniqueFd> subscribe_rtnetlink_in(const NetnsHandle& netns, const NetnsHandle& origin);

}  // namespace podnetc::rt
