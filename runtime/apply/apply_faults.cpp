#include "runtime/apply/apply_faults.hpp"

#include <charconv>
#include <chrono>
#include <cstdlib>
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

Expected<std::optional<std::size_t>, std::string> op_number(const char* variable) {
    const char* value = std::getenv(variable);
    if (value == nullptr || value[0] == '\0') return std::optional<std::size_t>{};
    const std::string_view text(value);
    std::size_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc{} || end != text.data() + text.size() || number == 0) {
        return unexpected(
            fmt::format("{}={}: expected an operation number (1 is the plan's first operation)", variable, text));
    }
    return std::optional<std::size_t>{number - 1};
}

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

Expected<TestFaults, std::string> test_faults_from_environment() {
    TestFaults faults;
    auto fail_at = op_number("PODNETC_TEST_FAIL_AT");
    if (!fail_at) return unexpected(fail_at.error());
    auto kill_at = op_number("PODNETC_TEST_KILL_AT");
    if (!kill_at) return unexpected(kill_at.error());
    faults.fail_at = *fail_at;
    faults.kill_at = *kill_at;
    if (const char* pause = std::getenv("PODNETC_TEST_PAUSE_BEFORE_SEND"); pause != nullptr && pause[0] != '\0') {
        faults.pause_before_send = pause;
    }
    return faults;
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
