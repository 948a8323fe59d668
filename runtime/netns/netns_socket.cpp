#include "runtime/netns/netns_socket.hpp"

namespace podnetc::rt {

Result<nl::NetlinkSocket> open_netlink_socket_in(const NetnsHandle& netns) {
    auto inside = ScopedNetns::enter(netns);
    if (!inside) return fail(std::move(inside).error());
    return nl::NetlinkSocket::open();
}

Result<nl::NetlinkSocket> open_netlink_socket_in(const NetnsHandle& netns, const NetnsHandle& origin) {
    auto inside = ScopedNetns::enter(netns, origin);
    if (!inside) return fail(std::move(inside).error());
    return nl::NetlinkSocket::open();
}

}  // namespace podnetc::rt
