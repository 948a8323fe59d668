#include "runtime/watch/kernel_watch.hpp"

#include <cerrno>

#include <libmnl/libmnl.h>
#include <sys/socket.h>

#include "runtime/netlink/rtnl_subscription.hpp"
#include "runtime/netns/netns.hpp"
#include "runtime/watch/notification_filter.hpp"

namespace podnetc::rt {

Result<KernelWatch> KernelWatch::open_host() {
    auto fd = nl::subscribe_rtnetlink();
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
        auto fd = nl::subscribe_rtnetlink();
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
