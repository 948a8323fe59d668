#include "runtime/netlink/rtnl_subscription.hpp"

#include <cerrno>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

namespace podnetc::rt::nl {
namespace {

constexpr unsigned kGroups[] = {RTNLGRP_LINK,       RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
                                RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE,  RTNLGRP_NEIGH};
constexpr int kReceiveBufferBytes = 16 * 1024 * 1024;

}  // namespace

// Plain sockets rather than mnl_socket: only the descriptor is kept, and libmnl parses.
Result<UniqueFd> subscribe_rtnetlink() {
    UniqueFd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE));
    if (!fd.valid()) return fail(errno, "open a netlink socket");
    sockaddr_nl address{};
    address.nl_family = AF_NETLINK;
    if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        return fail(errno, "bind a netlink socket");
    }
    for (const unsigned group : kGroups) {
        if (setsockopt(fd.get(), SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) != 0) {
            return fail(errno, "subscribe to rtnetlink notifications");
        }
    }
    // SO_RCVBUFFORCE passes the rmem_max limit (root); SO_RCVBUF is the fallback.
    if (setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &kReceiveBufferBytes, sizeof kReceiveBufferBytes) != 0) {
        setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &kReceiveBufferBytes, sizeof kReceiveBufferBytes);
    }
    return fd;
}

Result<Drained> drain_notifications(int fd, std::span<std::byte> buffer,
                                    const std::function<void(const nlmsghdr&)>& each) {
    Drained drained;
    for (;;) {
        const ssize_t n = recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return drained;
            if (errno == ENOBUFS) {
                drained.overflow = true;
                continue;  // the socket is usable again; read what is left
            }
            return fail(errno, "read rtnetlink notifications");
        }
        int remaining = static_cast<int>(n);
        for (const auto* message = reinterpret_cast<const nlmsghdr*>(buffer.data()); mnl_nlmsg_ok(message, remaining);
             message = mnl_nlmsg_next(message, &remaining)) {
            each(*message);
        }
    }
}

}  // namespace podnetc::rt::nl
