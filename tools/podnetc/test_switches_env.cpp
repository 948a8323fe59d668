// The test build's switches (podnetc-test-switches): read from the environment.
// The product binary links test_switches_off.cpp instead.
#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

#include "tools/podnetc/test_switches.hpp"

namespace podnetc::cli {
namespace {

using rt::CommitPoint;
using rt::TestFaults;

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

}  // namespace podnetc::cli
