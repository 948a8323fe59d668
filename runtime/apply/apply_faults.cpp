#include "runtime/apply/apply_faults.hpp"

#include <csignal>
#include <chrono>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <fmt/format.h>

namespace podnetc::rt {
namespace {

// A u32 attribute of the request's family (validated as NLA_U32 in every parse mode).
std::optional<std::uint16_t> u32_attribute_of(std::uint16_t message_type) {
    switch (message_type) {
    case RTM_NEWLINK:
    case RTM_SETLINK:
    case RTM_DELLINK:
        return IFLA_MTU;
    case RTM_SETNEIGHTBL:
        return NDTA_THRESH1;
    case RTM_NEWADDR:
    case RTM_DELADDR:
        return IFA_FLAGS;
    case RTM_NEWROUTE:
    case RTM_DELROUTE:
        return RTA_PRIORITY;
    case RTM_NEWNEIGH:
    case RTM_DELNEIGH:
        return NDA_PROBES;
    default:
        return std::nullopt;
    }
}

}  // namespace

void kill_if_at(const TestFaults& faults, CommitPoint at) {
    if (faults.kill_at_commit == at) std::raise(SIGKILL);
}

void pause_before_send(const std::string& path) {
    const std::string waiting = path + ".waiting";
    const int fd = ::open(waiting.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (::access(path.c_str(), F_OK) != 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

bool make_kernel_refuse_last(nl::RequestBatch& batch) {
    if (batch.empty()) return false;
    nlmsghdr& request = batch.request(batch.count() - 1);
    const auto type = u32_attribute_of(request.nlmsg_type);
    if (!type) return false;
    nl::MessageWriter writer(&request, NLMSG_ALIGN(request.nlmsg_len) + batch.room());
    const std::uint8_t one_byte = 0;
    return writer.put(*type, &one_byte, sizeof one_byte).ok();
}

}  // namespace podnetc::rt
