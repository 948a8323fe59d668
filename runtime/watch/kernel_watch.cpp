#include "runtime/watch/kernel_watch.hpp"

#include <cerrno>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "runtime/netns/netns.hpp"
#include "runtime/watch/notification_filter.hpp"

namespace podnetc::rt {
namespace {

constexpr unsigned kGroups[] = {RTNLGRP_LINK,       RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
                                RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE,  RTNLGRP_NEIGH};
// A burst of foreign changes (or podnetc's own 500-pod apply) must not overflow it.
constexpr int kReceiveBufferBytes = 16 * 1024 * 1024;

// A subscribed socket in the calling thread's current namespace. Plain sockets
// rather than mnl_socket: only the descriptor is kept, and libmnl parses.
Result<UniqueFd> subscribe() {
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

}  // namespace

Result<KernelWatch> KernelWatch::open_host() {
    auto fd = subscribe();
    if (!fd) return fail(std::move(fd).error());
    return KernelWatch(std::move(*fd));
}

std::vector<std::string> KernelWatch::watch_pods(const std::vector<std::string>& names, const std::string& run_dir) {
    std::map<std::string, UniqueFd> kept;
    std::vector<std::string> skipped;
    for (const std::string& name : names) {
        if (auto found = pods_.find(name); found != pods_.end()) {
            kept.emplace(name, std::move(found->second));
            continue;
        }
        auto netns = NetnsHandle::open_named(name, run_dir);
        if (!netns) {
            skipped.push_back(name);
            continue;
        }
        auto inside = ScopedNetns::enter(*netns);
        if (!inside) {
            skipped.push_back(name);
            continue;
        }
        auto fd = subscribe();
        if (!fd) {
            skipped.push_back(name);
            continue;
        }
        kept.emplace(name, std::move(*fd));
    }
    pods_ = std::move(kept);
    return skipped;
}

std::vector<int> KernelWatch::fds() const {
    std::vector<int> fds{host_.get()};
    for (const auto& [name, fd] : pods_) fds.push_back(fd.get());
    return fds;
}

Result<NotificationCount> KernelWatch::drain(int fd) {
    NotificationCount count;
    alignas(nlmsghdr) char buffer[64 * 1024];
    for (;;) {
        const ssize_t n = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return count;
            if (errno == ENOBUFS) {
                count.overflow = true;
                continue;  // the socket is usable again; read what is left
            }
            return fail(errno, "read rtnetlink notifications");
        }
        int remaining = static_cast<int>(n);
        for (const auto* message = reinterpret_cast<const nlmsghdr*>(buffer); mnl_nlmsg_ok(message, remaining);
             message = mnl_nlmsg_next(message, &remaining)) {
            if (notification_matters(*message)) {
                ++count.relevant;
            } else {
                ++count.ignored;
            }
        }
    }
}

Result<NotificationCount> KernelWatch::drain_all() {
    NotificationCount total;
    for (const int fd : fds()) {
        auto count = drain(fd);
        if (!count) return count;
        total.relevant += count->relevant;
        total.ignored += count->ignored;
        total.overflow = total.overflow || count->overflow;
    }
    return total;
}

}  // namespace podnetc::rt
