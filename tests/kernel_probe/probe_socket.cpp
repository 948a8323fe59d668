#include "tests/kernel_probe/probe_socket.hpp"

#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "runtime/netlink/netlink_text.hpp"

namespace podnetc::probe {
namespace {

[[noreturn]] void fail(std::string_view what) {
    throw std::runtime_error(fmt::format("{}: {}", what, std::strerror(errno)));
}

// Enters a namespace for the lifetime of the object.
class InNetns {
public:
    explicit InNetns(const std::string& netns) {
        if (netns.empty()) return;
        home_ = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        const int target = open_netns_fd(netns);
        if (home_ < 0 || ::setns(target, CLONE_NEWNET) != 0) fail(fmt::format("enter namespace {}", netns));
        ::close(target);
    }
    ~InNetns() {
        if (home_ < 0) return;
        if (::setns(home_, CLONE_NEWNET) != 0) std::abort();  // cannot go on in the wrong namespace
        ::close(home_);
    }
    InNetns(const InNetns&) = delete;
    InNetns& operator=(const InNetns&) = delete;

private:
    int home_ = -1;
};

}  // namespace

int open_netns_fd(const std::string& netns) {
    const std::string path = netns.empty() ? std::string{"/proc/self/ns/net"} : "/run/netns/" + netns;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(fmt::format("open {}", path));
    return fd;
}

RouteSocket::RouteSocket(const std::string& netns) : netns_(netns) {
    InNetns inside(netns);
    socket_ = mnl_socket_open(NETLINK_ROUTE);
    if (socket_ == nullptr) fail("netlink socket");
    int on = 1;
    mnl_socket_setsockopt(socket_, NETLINK_EXT_ACK, &on, sizeof on);
    const int buffer = 4 << 20;
    ::setsockopt(mnl_socket_get_fd(socket_), SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof buffer);
    if (mnl_socket_bind(socket_, 0, MNL_SOCKET_AUTOPID) != 0) fail("bind netlink socket");
}

RouteSocket::~RouteSocket() {
    if (socket_ != nullptr) mnl_socket_close(socket_);
}

std::vector<Ack> RouteSocket::send_batch(std::span<const std::byte> requests, std::size_t count) {
    if (mnl_socket_sendto(socket_, requests.data(), requests.size()) < 0) fail("sendmsg");
    std::vector<Ack> acks;
    alignas(8) static thread_local std::array<std::byte, 1 << 16> buffer;
    const rt::TextContext context{netns_, nullptr, nullptr, false};
    while (acks.size() < count) {
        const ssize_t got = mnl_socket_recvfrom(socket_, buffer.data(), buffer.size());
        if (got < 0) fail("recvmsg");
        int left = static_cast<int>(got);
        const auto* message = reinterpret_cast<const nlmsghdr*>(buffer.data());
        while (mnl_nlmsg_ok(message, left)) {
            if (message->nlmsg_type == NLMSG_ERROR) {
                const auto* error = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(message));
                const std::span<const std::byte> bytes{reinterpret_cast<const std::byte*>(message), message->nlmsg_len};
                acks.push_back(Ack{error->msg.nlmsg_seq, -error->error, rt::message_text(bytes, context)});
            }
            message = mnl_nlmsg_next(message, &left);
        }
    }
    return acks;
}

std::vector<live::Link> RouteSocket::dump_links() {
    alignas(8) std::array<std::byte, 1 << 16> buffer{};
    nlmsghdr* request = mnl_nlmsg_put_header(buffer.data());
    request->nlmsg_type = RTM_GETLINK;
    request->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request->nlmsg_seq = ++dump_seq_;
    auto* header = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(request, sizeof(ifinfomsg)));
    header->ifi_family = AF_UNSPEC;
    if (mnl_socket_sendto(socket_, request, request->nlmsg_len) < 0) fail("send link dump");

    std::vector<live::Link> links;
    for (;;) {
        const ssize_t got = mnl_socket_recvfrom(socket_, buffer.data(), buffer.size());
        if (got < 0) fail("read link dump");
        int left = static_cast<int>(got);
        const auto* message = reinterpret_cast<const nlmsghdr*>(buffer.data());
        for (; mnl_nlmsg_ok(message, left); message = mnl_nlmsg_next(message, &left)) {
            if (message->nlmsg_type == NLMSG_DONE) return links;
            if (message->nlmsg_type == NLMSG_ERROR) throw std::runtime_error("link dump failed");
            if (message->nlmsg_type != RTM_NEWLINK) continue;
            const auto* info = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(message));
            live::Link link;
            link.netns = netns_;
            link.ifindex = info->ifi_index;
            link.flags = info->ifi_flags;
            mnl_attr_parse(
                message, sizeof(ifinfomsg),
                [](const nlattr* attr, void* data) {
                    auto& l = *static_cast<live::Link*>(data);
                    switch (mnl_attr_get_type(attr)) {
                    case IFLA_IFNAME: l.name = mnl_attr_get_str(attr); break;
                    case IFLA_GROUP: l.group = mnl_attr_get_u32(attr); break;
                    case IFLA_MTU: l.mtu = mnl_attr_get_u32(attr); break;
                    case IFLA_LINKINFO:
                        mnl_attr_parse_nested(
                            attr,
                            [](const nlattr* inner, void* d) {
                                if (mnl_attr_get_type(inner) == IFLA_INFO_KIND) {
                                    static_cast<live::Link*>(d)->kind = mnl_attr_get_str(inner);
                                }
                                return MNL_CB_OK;
                            },
                            data);
                        break;
                    default: break;
                    }
                    return MNL_CB_OK;
                },
                &link);
            links.push_back(std::move(link));
        }
    }
}

}  // namespace podnetc::probe
