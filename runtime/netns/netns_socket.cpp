#include "runtime/netns/netns_socket.hpp"

#include "runtime/netlink/rtnl_subscription.hpp"

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

Result<UniqueFd> subscribe_rtnetlink_in(const NetnsHandle& netns) {
    auto inside = ScopedNetns::enter(netns);
    if (!inside) return fail(std::move(inside).error());
    return nl::subscribe_rtnetlink();
}

Result<UniqueFd> subscribe_rtnetlink_in(const NetnsHandle& netns, const NetnsHandle& origin) {
    auto inside = ScopedNetns::enter(netns, origin);
    if (!inside) return fail(std::move(inside).error());
    return nl::subscribe_rtnetlink();
}

}  // namespace podnetc::rt
