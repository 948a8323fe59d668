#include "runtime/netns_fds.hpp"

namespace podnetc::rt {

void NetnsFdMap::add(std::string netns, int fd) { fds_.insert_or_assign(std::move(netns), fd); }

std::optional<int> NetnsFdMap::fd_of(std::string_view netns) const {
    const auto it = fds_.find(netns);
    if (it == fds_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::string> NetnsFdMap::netns_of(int fd) const {
    for (const auto& [name, known] : fds_) {
        if (known == fd) return name;
    }
    return std::nullopt;
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
