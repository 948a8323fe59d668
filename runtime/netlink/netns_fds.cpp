#include "runtime/netlink/netns_fds.hpp"

namespace podnetc::rt {

void NetnsFdMap::add(std::string netns, int fd) {
    if (const auto old = fds_.find(netns); old != fds_.end()) names_.erase(old->second);
    names_.insert_or_assign(fd, netns);
    fds_.insert_or_assign(std::move(netns), fd);
}

std::optional<int> NetnsFdMap::fd_of(std::string_view netns) const {
    const auto it = fds_.find(netns);
    if (it == fds_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::string> NetnsFdMap::netns_of(int fd) const {
    const auto it = names_.find(fd);
    if (it == names_.end()) return std::nullopt;
    return it->second;
}

NetnsFdMap stand_in_netns_fds(const std::vector<std::string>& namespaces) {
    NetnsFdMap fds;
    int next = -100;
    for (const std::string& netns : namespaces) {
        if (!fds.fd_of(netns)) fds.add(netns, next--);
    }
    return fds;
}

}  // namespace podnetc::rt
