// Where the encoder gets the file descriptor of a network namespace, for a veth
// peer placed in another namespace (IFLA_NET_NS_FD). The runtime hands in real
// descriptors it opened; the text output hands in stand-ins, and the printer turns
// either back into the namespace's name.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podnetc::rt {

class NetnsFds {
public:
    virtual ~NetnsFds() = default;
    // The descriptor of `netns` ("" is the host's), nullopt when not available.
    virtual std::optional<int> fd_of(std::string_view netns) const = 0;
    // The namespace behind a descriptor this source handed out, for printing.
    virtual std::optional<std::string> netns_of(int fd) const = 0;
};

// A fixed table; the descriptors are borrowed, never closed here.
class NetnsFdMap final : public NetnsFds {
public:
    void add(std::string netns, int fd);

    std::optional<int> fd_of(std::string_view netns) const override;
    std::optional<std::string> netns_of(int fd) const override;

private:
    std::map<std::string, int, std::less<>> fds_;
    std::map<int, std::string> names_;
};

// Stand-ins for text output, never opened: negative numbers, so that a stand-in
// sent to a kernel by mistake fails (EBADF) instead of naming some other file.
NetnsFdMap stand_in_netns_fds(const std::vector<std::string>& namespaces);

}  // namespace podnetc::rt
