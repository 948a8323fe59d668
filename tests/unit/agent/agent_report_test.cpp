// What the agent says: durations it reads, its log lines, its Prometheus text, its
// status file; and the rtnetlink notifications it reacts to.
#include <catch2/catch.hpp>

#include <cstring>

#include <linux/neighbour.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>
#include <nlohmann/json.hpp>

#include "runtime/agent/agent_log.hpp"
#include "runtime/agent/agent_metrics.hpp"
#include "runtime/agent/agent_status.hpp"
#include "runtime/agent/duration_text.hpp"
#include "runtime/agent/metrics_server.hpp"
#include "runtime/watch/notification_filter.hpp"

using namespace podnetc::agent;
using namespace std::chrono_literals;

TEST_CASE("durations as people write them", "[agent]") {
    CHECK(parse_duration("90") == Duration(90s));
    CHECK(parse_duration("90s") == Duration(90s));
    CHECK(parse_duration("500ms") == Duration(500ms));
    CHECK(parse_duration("2m") == Duration(2min));
    CHECK(parse_duration("1m30s") == Duration(90s));
    CHECK(parse_duration("1h") == Duration(1h));
    for (const char* bad : {"", "s", "1m30", "-5s", "5 s", "5x", "1.5s", "99999999999s"}) {
        INFO(bad);
        CHECK_FALSE(parse_duration(bad));
    }
}

TEST_CASE("listen addresses: localhost unless said otherwise", "[agent]") {
    std::string error;
    auto address = parse_listen_address(":9710", error);
    REQUIRE(address);
    CHECK(address->host == "127.0.0.1");
    CHECK(address->port == 9710);
    address = parse_listen_address("[::1]:80", error);
    REQUIRE(address);
    CHECK(address->host == "::1");
    CHECK_FALSE(parse_listen_address("9710", error));
    CHECK_FALSE(parse_listen_address("host:99999", error));
    CHECK_THAT(error, Catch::Contains("not a port"));
}

TEST_CASE("log lines: text for people, one JSON object per line for machines", "[agent]") {
    const LogEntry entry{LogLevel::error, "problem", "a.pnet:3:5: error: bad\xff", "  3 | x\n    | ^\n"};
    const std::string text = format_entry(LogFormat::text, entry, {}, "T", false);
    CHECK(text == "a.pnet:3:5: error: bad\xff\n  3 | x\n    | ^");
    CHECK(format_entry(LogFormat::text, entry, {}, "T", true).rfind("<3>", 0) == 0);
    const LogEntry summary{LogLevel::warning, "refused", "nothing was changed", {}};
    CHECK(format_entry(LogFormat::text, summary, {}, "T", false) == "warning: nothing was changed");

    const std::string line =
        format_entry(LogFormat::json, entry, {{"trigger", std::string_view("file")}, {"ms", std::int64_t{12}}},
                     "2026-12-03T12:00:00.000Z", false);
    CHECK(line.find('\n') == std::string::npos);
    const auto json = nlohmann::json::parse(line);  // ill-formed UTF-8 was replaced
    CHECK(json["time"] == "2026-12-03T12:00:00.000Z");
    CHECK(json["level"] == "error");
    CHECK(json["event"] == "problem");
    CHECK(json["message"] == "a.pnet:3:5: error: bad\xef\xbf\xbd");
    CHECK(json["detail"] == "  3 | x\n    | ^\n");
    CHECK(json["trigger"] == "file");
    CHECK(json["ms"] == 12);
}

TEST_CASE("the Prometheus text: every family declared, histogram cumulative", "[agent]") {
    MetricValues values;
    values.cycles["applied"] = 2;
    values.applies["committed"] = 2;
    values.apply_duration.observe(0.004);
    values.apply_duration.observe(0.3);
    values.apply_duration.observe(60);
    values.owned["route"] = 7;
    values.topology_errors = 1;
    const std::string text = prometheus_text(values);
    CHECK_THAT(text, Catch::Contains("# TYPE podnetc_up gauge\npodnetc_up 1\n"));
    CHECK_THAT(text, Catch::Contains("podnetc_cycles_total{result=\"applied\"} 2\n"));
    CHECK_THAT(text, Catch::Contains("podnetc_apply_duration_seconds_bucket{le=\"0.005\"} 1\n"));
    CHECK_THAT(text, Catch::Contains("podnetc_apply_duration_seconds_bucket{le=\"0.25\"} 1\n"));
    CHECK_THAT(text, Catch::Contains("podnetc_apply_duration_seconds_bucket{le=\"0.5\"} 2\n"));
    CHECK_THAT(text, Catch::Contains("podnetc_apply_duration_seconds_bucket{le=\"10\"} 2\n"));
    CHECK_THAT(text, Catch::Contains("podnetc_apply_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
    CHECK_THAT(text, Catch::Contains("podnetc_apply_duration_seconds_count 3\n"));
    CHECK_THAT(text, Catch::Contains("podnetc_owned_objects{kind=\"route\"} 7\n"));
    CHECK_THAT(text, Catch::Contains("podnetc_topology_errors 1\n"));
}

TEST_CASE("the status file says the last cycle and its problems", "[agent]") {
    AgentOptions options;
    options.file = "/etc/podnetc/topology.pnet";
    options.node = "worker-1";
    options.state_dir = "/run/podnetc";
    CycleReport report;
    report.result = CycleResult::compile_error;
    report.summary = "does not compile";
    report.problems.push_back({true, "topology.pnet:9:1: error: unknown option", "  9 | …"});
    MetricValues metrics;
    metrics.cycles["compile_error"] = 1;
    metrics.last_cycle_timestamp = 1796299427.5;
    const StatusContext context{&options, 42, 1796299400.0, "file", 0.002};
    const auto status = nlohmann::json::parse(status_json(context, report, metrics));
    CHECK(status["format"] == std::string(kStatusFormat));
    CHECK(status["node"] == "worker-1");
    CHECK(status["pid"] == 42);
    CHECK(status["converged"] == false);
    CHECK(status["last_cycle"]["result"] == "compile_error");
    CHECK(status["last_cycle"]["ended"] == "2026-12-03T12:03:47.500Z");
    CHECK(status["last_cycle"]["problems"][0]["message"] == "topology.pnet:9:1: error: unknown option");
    CHECK(status["last_success"].is_null());
    CHECK(status_path("/run/podnetc", "worker-1") == "/run/podnetc/agent/worker-1.json");
}

namespace {

// One rtnetlink message with a payload and optional NDA_PROTOCOL, in `buffer`.
template <class Payload>
const nlmsghdr& message(std::vector<char>& buffer, std::uint16_t type, const Payload& payload, int protocol = -1) {
    buffer.assign(NLMSG_SPACE(sizeof(Payload)) + RTA_SPACE(1), 0);
    auto* header = reinterpret_cast<nlmsghdr*>(buffer.data());
    header->nlmsg_type = type;
    header->nlmsg_len = NLMSG_LENGTH(sizeof(Payload));
    std::memcpy(buffer.data() + NLMSG_HDRLEN, &payload, sizeof(Payload));
    if (protocol >= 0) {
        auto* attribute = reinterpret_cast<rtattr*>(buffer.data() + NLMSG_SPACE(sizeof(Payload)));
        attribute->rta_type = NDA_PROTOCOL;
        attribute->rta_len = RTA_LENGTH(1);
        buffer[NLMSG_SPACE(sizeof(Payload)) + RTA_LENGTH(0)] = static_cast<char>(protocol);
        header->nlmsg_len = static_cast<std::uint32_t>(NLMSG_SPACE(sizeof(Payload)) + RTA_LENGTH(1));
    }
    return *header;
}

}  // namespace

TEST_CASE("notifications: the kernel's own chatter is ignored", "[agent]") {
    using podnetc::rt::notification_matters;
    std::vector<char> buffer;
    ndmsg learned{};
    learned.ndm_state = NUD_REACHABLE;
    CHECK_FALSE(notification_matters(message(buffer, RTM_NEWNEIGH, learned)));
    ndmsg permanent{};
    permanent.ndm_state = NUD_PERMANENT;
    CHECK(notification_matters(message(buffer, RTM_NEWNEIGH, permanent)));
    ndmsg deleted{};
    deleted.ndm_state = NUD_FAILED;  // a deleted permanent entry is announced so
    CHECK(notification_matters(message(buffer, RTM_DELNEIGH, deleted, 176)));
    CHECK_FALSE(notification_matters(message(buffer, RTM_DELNEIGH, deleted, 3)));

    rtmsg main_route{};
    main_route.rtm_family = AF_INET;
    main_route.rtm_table = RT_TABLE_MAIN;
    CHECK(notification_matters(message(buffer, RTM_DELROUTE, main_route)));
    rtmsg local = main_route;
    local.rtm_table = RT_TABLE_LOCAL;
    CHECK_FALSE(notification_matters(message(buffer, RTM_NEWROUTE, local)));
    rtmsg link_local6 = main_route;
    link_local6.rtm_family = AF_INET6;
    link_local6.rtm_protocol = RTPROT_KERNEL;
    CHECK_FALSE(notification_matters(message(buffer, RTM_NEWROUTE, link_local6)));

    ifaddrmsg address{};
    address.ifa_family = AF_INET;
    CHECK(notification_matters(message(buffer, RTM_DELADDR, address)));
    ifaddrmsg fe80{};
    fe80.ifa_family = AF_INET6;
    fe80.ifa_scope = RT_SCOPE_LINK;
    CHECK_FALSE(notification_matters(message(buffer, RTM_NEWADDR, fe80)));
    ifinfomsg link{};
    CHECK(notification_matters(message(buffer, RTM_DELLINK, link)));
}
