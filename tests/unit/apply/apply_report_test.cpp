// What apply tells the user: the failed operation as a diagnostic at the line that
// asked for it, with the kernel's errno and text; what the undo achieved; and the
// differences after an undo, split into podnetc's and someone else's.
#include <catch2/catch.hpp>

#include <cerrno>
#include <map>

#include <fmt/format.h>

#include "compiler/objects/ownership.hpp"
#include "compiler/plan/planner.hpp"
#include "runtime/apply/apply_report.hpp"
#include "runtime/probe/connectivity_check.hpp"
#include "runtime/apply/state_compare.hpp"
#include "tests/unit/apply/fake_transport.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"
#include "tests/unit/support/temp_dir.hpp"

namespace podnetc {
namespace {

struct Node {
    SourceSet sources;
    ir::NodeIr desired;
    live::State before = test::bare_node();
    plan::Plan plan;

    Node() {
        desired = test::IrBuilder()
                      .route_network("pods", "10.10.1.0/24")
                      .pod("pod-1", "pods", "10.10.1.10", "veth1")
                      .pod("pod-2", "pods", "10.10.1.11", "veth2")
                      .build(sources, "route.pnet");
        plan = plan::make_plan(desired, before);
    }
};

std::size_t find_op(const plan::Plan& plan, std::string_view line) {
    for (std::size_t i = 0; i < plan.ops.size(); ++i) {
        if (test::step_line(plan.ops[i].step) == line) return i;
    }
    FAIL("no operation " << line);
    return 0;
}

rt::ApplyResult apply(Node& node, test::FakeTransport& fake) {
    test::TempDir dir;
    auto journal = rt::JournalWriter::begin(dir.path, rt::JournalInfo{}, node.before, node.plan, node.sources);
    REQUIRE(journal);
    return rt::apply_plan(node.plan, node.before, fake, *journal, {});
}

TEST_CASE("a refused operation is reported at its declaration, with the kernel's words", "[apply][report]") {
    Node node;
    const std::size_t k = find_op(node.plan, "add_route pod-2 0.0.0.0/0");
    test::FakeTransport fake(node.before);
    fake.refuse = [](const plan::Step& step) {
        return step.kind() == plan::StepKind::add_route && step.netns() == "pod-2" &&
                       plan::object_of<kernel::Route>(step).dst.len == 0
                   ? ENETUNREACH
                   : 0;
    };
    rt::ApplyResult result = apply(node, fake);
    REQUIRE(result.failure);
    // The fake has no extended ack text; give the one Linux gives for this refusal.
    result.failure->message = "Nexthop has invalid gateway";
    const std::string text = rt::render_failure(node.plan, result, node.sources, false);
    CHECK(text.starts_with(fmt::format("route.pnet:3:1: error: the kernel refused operation {} of {}, add route default "
                                       "via 169.254.1.1 dev pod-2/eth0: ENETUNREACH (Network is unreachable): Nexthop "
                                       "has invalid gateway\n   3 | pod pod-2 ",
                                       k + 1, node.plan.ops.size())));
    CHECK(text.find(fmt::format("\nnote: {} operations before it had been applied\n", k)) != std::string::npos);
    CHECK(rt::render_restore(node.plan, *result.restore, node.sources, rt::UndoKind::rollback, false) ==
          fmt::format("podnetc: rolled back: {} operations undone; the node is as it was before.\n",
                      result.restore->ops_undone));
}

TEST_CASE("an incomplete undo lists what differs and which undo step failed, and why", "[apply][report]") {
    Node node;
    test::FakeTransport fake(node.before);
    fake.refuse = [](const plan::Step& step) {
        if (step.kind() == plan::StepKind::add_route && step.netns() == "pod-2") return ENETUNREACH;
        return step.kind() == plan::StepKind::delete_netns ? EBUSY : 0;
    };
    const rt::ApplyResult result = apply(node, fake);
    REQUIRE(result.outcome == rt::ApplyOutcome::rollback_incomplete);
    const std::string text = rt::render_restore(node.plan, *result.restore, node.sources, rt::UndoKind::rollback, false);
    // Only the namespaces: what is inside a namespace that should not be there is not listed.
    CHECK(text.starts_with("error: rollback incomplete: the node is not as it was before\n"
                           "note: namespace pod-1: left over\n"
                           "note: namespace pod-2: left over\n"
                           "route.pnet:3:1: note: undoing operation 2 (create namespace pod-2), delete namespace pod-2 "
                           "failed: EBUSY\n"));
    CHECK(text.find("route.pnet:2:1: note: undoing operation 1 (create namespace pod-1), delete namespace pod-1 failed: "
                    "EBUSY\n") != std::string::npos);
}

TEST_CASE("differences after an undo: podnetc's, and someone else's", "[apply][report]") {
    Node node;
    live::State after = node.before;
    // Someone made a veth2 of their own meanwhile (the plan names veth2: it meant to create it).
    live::Link theirs;
    theirs.name = "veth2";
    theirs.kind = "veth";
    theirs.ifindex = 9;
    after.links.push_back(theirs);
    // podnetc's route through its veth1 was left behind.
    live::Route ours;
    ours.dst = ip::Prefix::parse("10.10.1.10/32").value();
    ours.dev = "veth1";
    ours.scope = 253;
    ours.protocol = kOwnedProtocol;
    after.routes.push_back(ours);
    // A foreign route disappeared (not one the plan names).
    live::State before = node.before;
    live::Route foreign;
    foreign.dst = ip::Prefix::parse("192.0.2.0/24").value();
    foreign.dev = "eth0";
    foreign.protocol = 4;
    before.routes.push_back(foreign);

    const rt::SplitDifferences split = rt::split_differences(before, after, node.plan);
    CHECK(split.ours == std::vector<std::string>{"route 10.10.1.10/32 dev veth1 scope 253 proto 176 in host: left over"});
    CHECK(split.others == std::vector<std::string>{"link veth2 in host: left over",
                                                  "route 192.0.2.0/24 dev eth0 scope 0 proto 4 in host: missing"});
    CHECK(rt::state_differences(before, after).size() == 3);
    CHECK(rt::state_differences(before, before).empty());
}

TEST_CASE("the comparison ignores what the kernel derives, and nothing else", "[apply][report]") {
    live::State before = test::bare_node();
    live::State after = before;
    for (live::Link& link : after.links) {
        link.flags ^= 0x40 | 0x10000;  // running, lower_up
        link.operstate = 2;
    }
    after.last_applied.reset();
    CHECK(rt::state_differences(before, after).empty());
    after.links.back().ifindex += 10;
    after.links.back().mac = Mac::parse("02:00:00:00:00:99").value();
    const auto d = rt::state_differences(before, after);
    REQUIRE(d.size() == 2);
    CHECK(d[0].find(": ifindex is ") != std::string::npos);
    CHECK(d[1].find(": mac is 02:00:00:00:00:99, was ") != std::string::npos);
}

TEST_CASE("--verify probes: gateways, and every other pod of the network", "[apply][verify]") {
    SourceSet sources;
    const ir::NodeIr ir = test::IrBuilder()
                              .bridge_network("cbr0", "10.10.1.0/24", "10.10.1.1")
                              .pod("web-1", "cbr0", "10.10.1.10", "vweb1")
                              .pod("web-2", "cbr0", "10.10.1.11", "vweb2")
                              .route_network("pods", "10.10.2.0/24")
                              .pod("pod-1", "pods", "10.10.2.10", "veth1")
                              .pod("pod-2", "pods", "10.10.2.11", "veth2")
                              .build(sources);
    std::vector<std::string> whys;
    for (const rt::Probe& p : rt::connectivity_probes(ir, test::converged(ir))) {
        whys.push_back(fmt::format("{} from {} ({}) to {}", p.why, p.netns, p.source->str(), p.target.str()));
    }
    // 169.254.1.1 is no host address: only proxy ARP answers for it, ICMP never.
    CHECK(whys == std::vector<std::string>{
                      "web-1 -> gateway 10.10.1.1 from web-1 (10.10.1.10) to 10.10.1.1",
                      "web-1 -> web-2 10.10.1.11 from web-1 (10.10.1.10) to 10.10.1.11",
                      "web-2 -> gateway 10.10.1.1 from web-2 (10.10.1.11) to 10.10.1.1",
                      "web-2 -> web-1 10.10.1.10 from web-2 (10.10.1.11) to 10.10.1.10",
                      "pod-1 -> pod-2 10.10.2.11 from pod-1 (10.10.2.10) to 10.10.2.11",
                      "pod-2 -> pod-1 10.10.2.10 from pod-2 (10.10.2.11) to 10.10.2.10",
                  });

    SECTION("large networks: every pod to the next pods, around the ring") {
        test::IrBuilder big;
        big.route_network("pods", "10.20.0.0/16");
        const std::size_t n = rt::kAllPairsUpTo + 2;
        for (std::size_t i = 0; i < n; ++i) {
            big.pod(fmt::format("p{}", i), "pods", fmt::format("10.20.{}.{}", i / 200, 10 + i % 200), fmt::format("v{}", i));
        }
        const ir::NodeIr large = big.build(sources, "big.pnet");
        const auto probes = rt::connectivity_probes(large, test::bare_node());
        CHECK(probes.size() == n * rt::kRingPeers);
        std::map<std::string, int> probed;
        for (const rt::Probe& p : probes) ++probed[p.target.str()];
        CHECK(probed.size() == n);
        for (const auto& [target, count] : probed) CHECK(count == static_cast<int>(rt::kRingPeers));
    }
}

}  // namespace
}  // namespace podnetc
