#include "runtime/watch/kernel_watch.hpp"

#include "runtime/netlink/rtnl_subscription.hpp"
#include "runtime/netns/netns.hpp"
#include "runtime/netns/netns_socket.hpp"
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
        auto fd = subscribe_rtnetlink_in(*netns);
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
    alignas(nlmsghdr) std::byte buffer[64 * 1024];
    auto drained = nl::drain_notifications(fd, buffer, [&](const nlmsghdr& message) {
        ++(notification_matters(message) ? count.relevant : count.ignored);
    });
    if (!drained) return fail(std::move(drained).error());
    count.overflow = drained->overflow;
    return count;
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
