// Another writer during an apply (runtime/apply/other_writers.hpp): which
// notifications are another process's changes, which operations they concern, where
// the applier listens, and that the applier stops before its next batch and leaves
// the other writer's object alone.
#include <catch2/catch.hpp>

#include <algorithm>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "compiler/plan/planner.hpp"
#include "runtime/apply/applier.hpp"
#include "runtime/apply/other_writers.hpp"
#include "tests/unit/apply/fake_transport.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"
#include "tests/unit/support/temp_dir.hpp"

namespace podnetc {
namespace {

// An RTM_NEWROUTE (or DELROUTE) notification of a main-table route, as the kernel
// sends it for a request from netlink port `port`.
rt::ForeignNotification route_notification(std::string netns, const char* dst, std::uint8_t len, std::uint32_t port,
                                           std::uint16_t type = RTM_NEWROUTE) {
    alignas(nlmsghdr) char buffer[256] = {};
    nlmsghdr* header = mnl_nlmsg_put_header(buffer);
    header->nlmsg_type = type;
    header->nlmsg_pid = port;
    auto* route = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(header, sizeof(rtmsg)));
    route->rtm_family = AF_INET;
    route->rtm_dst_len = len;
    route->rtm_table = RT_TABLE_MAIN;
    route->rtm_type = RTN_UNICAST;
    in_addr address{};
    REQUIRE(inet_pton(AF_INET, dst, &address) == 1);
    mnl_attr_put(header, RTA_DST, sizeof address, &address);
    const auto* bytes = reinterpret_cast<const std::byte*>(buffer);
    return {std::move(netns), std::vector<std::byte>(bytes, bytes + header->nlmsg_len)};
}

test::IrBuilder routed(int pods, const std::string& first_address) {
    test::IrBuilder b;
    b.route_network("pods", "10.10.1.0/24");
    for (int i = 1; i <= pods; ++i) {
        b.pod("pod-" + std::to_string(i), "pods", i == 1 ? first_address : "10.10.1." + std::to_string(9 + i),
              "veth" + std::to_string(i));
    }
    return b;
}

struct Node {
    SourceSet sources;
    live::State before;
    plan::Plan plan;
};

// Two routed pods; pod-1 moves from 10.10.1.10 to 10.10.1.40.
Node moved_pod() {
    Node node;
    node.before = test::converged(routed(2, "10.10.1.10").build(node.sources));
    node.plan = plan::make_plan(routed(2, "10.10.1.40").build(node.sources), node.before);
    return node;
}

std::size_t op_of_route(const plan::Plan& plan, const std::string& dst) {
    for (std::size_t i = 0; i < plan.ops.size(); ++i) {
        const auto* route = plan::object_if<kernel::Route>(plan.ops[i].step);
        if (route != nullptr && route->netns.empty() && route->dst.str() == dst) return i;
    }
    FAIL("no host route " << dst << " in the plan");
    return 0;
}

TEST_CASE("a notification is another writer's change only when a process made it", "[apply]") {
    const rt::IndexMap links;
    const auto change = rt::decode_other_writer_change(route_notification("", "10.10.1.40", 32, 4242), links);
    REQUIRE(change);
    CHECK(change->port == 4242);
    CHECK(!change->deleted);
    CHECK(std::get<kernel::RouteKey>(change->key) ==
          kernel::RouteKey{"", kernel::kMainTable, *ip::Prefix::parse("10.10.1.40/32"), 0});
    CHECK(rt::other_writer_text(*change) ==
          "another process (netlink port 4242) added or changed route 10.10.1.40/32 in host while the plan was applied");
    // Port 0: the kernel's own doing (a route that went with its address, a learned neighbour).
    CHECK(!rt::decode_other_writer_change(route_notification("", "10.10.1.40", 32, 0), links));
    const auto deleted = rt::decode_other_writer_change(route_notification("pod-1", "0.0.0.0", 0, 7, RTM_DELROUTE), links);
    REQUIRE(deleted);
    CHECK(deleted->deleted);
    CHECK(rt::other_writer_text(*deleted).find("deleted route 0.0.0.0/0 in pod-1") != std::string::npos);
}

TEST_CASE("only the operations on the same object are concerned; the namespaces listened in exist and stay", "[apply]") {
    const Node node = moved_pod();
    const std::size_t created = op_of_route(node.plan, "10.10.1.40/32");
    const auto change = rt::decode_other_writer_change(route_notification("", "10.10.1.40", 32, 4242), rt::IndexMap{});
    REQUIRE(change);
    CHECK(rt::ops_changed(node.plan, *change) == std::vector<std::size_t>{created});
    const auto elsewhere = rt::decode_other_writer_change(route_notification("", "10.10.9.0", 24, 4242), rt::IndexMap{});
    REQUIRE(elsewhere);
    CHECK(rt::ops_changed(node.plan, *elsewhere).empty());
    const std::vector<std::string> watched = rt::namespaces_to_watch(node.plan, node.before);
    CHECK(std::find(watched.begin(), watched.end(), "") != watched.end());
    CHECK(std::find(watched.begin(), watched.end(), "pod-1") != watched.end());
    CHECK(std::find(watched.begin(), watched.end(), "pod-2") == watched.end());  // nothing of the plan there
}

TEST_CASE("another writer stops the apply before its next batch; its object is not undone", "[apply]") {
    Node node = moved_pod();
    const std::size_t created = op_of_route(node.plan, "10.10.1.40/32");
    for (const std::size_t heard_after : {std::size_t{0}, std::size_t{1}}) {
        INFO("heard after sendmsg " << heard_after);
        test::FakeTransport fake(node.before);
        fake.other_writer = [&, told = false](std::size_t sends) mutable {
            std::vector<rt::ForeignNotification> heard;
            if (sends >= heard_after && !told) heard.push_back(route_notification("", "10.10.1.40", 32, 4242));
            told = told || !heard.empty();
            return heard;
        };
        test::TempDir dir;
        auto journal = rt::JournalWriter::begin(dir.path, rt::JournalInfo{"apply test.pnet", "", 1, 0}, node.before,
                                                node.plan, node.sources);
        REQUIRE(journal);
        const rt::ApplyResult result = rt::apply_plan(node.plan, node.before, fake, *journal, {});
        REQUIRE(result.failure);
        CHECK(result.failure->kind == rt::ApplyFailure::Kind::other_writer);
        CHECK(result.failure->op == created);
        CHECK(result.failure->ops_changed_by_others == std::set<std::size_t>{created});
        CHECK(result.stats.sendmsg_calls == heard_after);
        if (heard_after == 0) CHECK(result.confirmed == 0);
        // The undo (what the kernel processed after the forward requests) leaves the
        // other writer's route alone.
        const std::size_t forward = result.stats.requests + result.stats.namespace_steps;
        for (std::size_t i = forward; i < fake.processed().size(); ++i) {
            const std::string& line = fake.processed()[i].step;
            INFO(line);
            CHECK(!(line.starts_with("delete_route") && line.find("10.10.1.40/32") != std::string::npos));
        }
        if (heard_after == 1) CHECK(result.confirmed > 0);
        CHECK(fake.watched().empty());  // listening ends with the apply
        REQUIRE(result.restore);
        CHECK(result.outcome == rt::ApplyOutcome::rolled_back);
    }
}

}  // namespace
}  // namespace podnetc
