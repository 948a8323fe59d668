#include "runtime/apply/apply_faults.hpp"

#include <charconv>
#include <csignal>
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

Expected<std::optional<std::size_t>, std::string> op_number(const char* variable, std::string_view text) {
    if (text.empty()) return std::optional<std::size_t>{};
    std::size_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc{} || end != text.data() + text.size() || number == 0) {
        return unexpected(
            fmt::format("{}={}: expected an operation number (1 is the plan's first operation){}", variable, text,
                        std::string_view(variable) == "PODNETC_TEST_KILL_AT"
                            ? ", verified, committed, recorded or registry:NAMESPACE"
                            : ""));
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

std::string_view environment(const char* variable) {
    const char* value = std::getenv(variable);
    return value == nullptr ? std::string_view() : std::string_view(value);
}

std::optional<CommitPoint> commit_point_named(std::string_view name) {
    if (name == "verified") return CommitPoint::verified;
    if (name == "committed") return CommitPoint::committed;
    if (name == "recorded") return CommitPoint::recorded;
    return std::nullopt;
}

}  // namespace

Expected<TestFaults, std::string> test_faults_from_environment() {
    TestFaults faults;
    auto fail_at = op_number("PODNETC_TEST_FAIL_AT", environment("PODNETC_TEST_FAIL_AT"));
    if (!fail_at) return unexpected(fail_at.error());
    faults.fail_at = *fail_at;
    constexpr std::string_view kRegistry = "registry:";
    const std::string_view kill = environment("PODNETC_TEST_KILL_AT");
    if (const auto point = commit_point_named(kill)) {
        faults.kill_at_commit = point;
    } else if (kill.starts_with(kRegistry) && kill.size() > kRegistry.size()) {
        faults.kill_in_registry = std::string(kill.substr(kRegistry.size()));
    } else {
        auto kill_at = op_number("PODNETC_TEST_KILL_AT", kill);
        if (!kill_at) return unexpected(kill_at.error());
        faults.kill_at = *kill_at;
    }
    if (const char* pause = std::getenv("PODNETC_TEST_PAUSE_BEFORE_SEND"); pause != nullptr && pause[0] != '\0') {
        faults.pause_before_send = pause;
    }
    return faults;
}

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
