// An owned object that another tool wrote again at the same key (`ip route replace`,
// `ip addr replace`, `ip link set group 0`, the registry entry lost): the applied
// record says podnetc made it, so it is drift and gets podnetc's marker back, not a
// conflict that would block every later apply. Without a record, or when a routing
// daemon now holds it with other values, it stays a conflict.
#include <catch2/catch.hpp>

#include "compiler/objects/kernel_values.hpp"
#include "compiler/plan/planner.hpp"
#include "tests/unit/plan/plan_checks.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"

using namespace podnetc;
using namespace podnetc::test;

namespace {

constexpr std::uint8_t kProtoBird = 12;  // RTPROT_BIRD: a routing daemon, not a person

using Node = RoutedPair;

live::Route* default_route(live::State& s, const std::string& netns) {
    for (auto& r : s.routes) {
        if (r.netns == netns && r.dst.is_default()) return &r;
    }
    return nullptr;
}

// pod-1's address, default route, gateway neighbour and host veth, rewritten by
// hand with the values podnetc gave them: only the marker is gone.
live::State rewritten_pod_1(const ir::NodeIr& ir) {
    live::State live = converged(ir);
    for (auto& a : live.addresses) {
        if (a.netns == "pod-1") a.protocol = 0;
    }
    for (auto& n : live.neighbors) {
        if (n.netns == "pod-1") n.protocol = 0;
    }
    default_route(live, "pod-1")->protocol = kernel::kProtoBoot;
    find_link(live, "", "veth1")->group = 0;
    return live;
}

}  // namespace

TEST_CASE("owned objects rewritten by hand with their own values: drift, re-marked") {
    Node n;
    const live::State live = rewritten_pod_1(n.ir);
    const plan::Plan p = plan::make_plan(n.ir, live);
    INFO(plan_listing(p));
    CHECK(p.conflicts.empty());
    REQUIRE(p.ops.size() == 4);
    for (const auto& op : p.ops) {
        CHECK(op.reason == plan::Reason::drift);
        CHECK(op.pod == "pod-1");
    }
    CHECK(step_line(p.ops[0].step) == "change_link veth1");
    CHECK(p.ops[0].detail == "group 0 -> 20558");
    CHECK(step_line(p.ops[1].step) == "replace_address pod-1/eth0 10.10.1.10/32");
    CHECK(p.ops[1].detail == "proto unspec -> podnetc: rewritten by another tool; podnetc's marker is set again");
    CHECK(step_line(p.ops[2].step) == "replace_route pod-1 0.0.0.0/0");
    CHECK(p.ops[2].detail == "proto boot -> podnetc: rewritten by another tool; podnetc's marker is set again");
    CHECK(step_line(p.ops[3].step) == "replace_neighbor pod-1/eth0 169.254.1.1");
    CHECK(check_converges(n.ir, p, live).empty());
    CHECK(check_rollback(p, live).empty());
}

TEST_CASE("a route rewritten by hand with other values is repaired too") {
    Node n;
    live::State live = converged(n.ir);
    live::Route* route = default_route(live, "pod-1");
    route->protocol = kernel::kProtoBoot;
    route->gateway = ip::Address::parse("10.10.1.1");  // `ip route replace default via 10.10.1.1 dev eth0 onlink`
    const plan::Plan p = plan::make_plan(n.ir, live);
    INFO(plan_listing(p));
    CHECK(p.conflicts.empty());
    REQUIRE(p.ops.size() == 1);
    CHECK(p.ops[0].reason == plan::Reason::drift);
    CHECK(p.ops[0].detail ==
          "via 10.10.1.1 -> 169.254.1.1, proto boot -> podnetc: rewritten by another tool; podnetc's marker is set again");
    CHECK(check_converges(n.ir, p, live).empty());
}

TEST_CASE("podnetc's route now held by a routing daemon with other values: a conflict that says so") {
    Node n;
    live::State live = converged(n.ir);
    live::Route* route = default_route(live, "pod-1");
    route->protocol = kProtoBird;
    route->gateway = ip::Address::parse("10.10.1.1");
    const plan::Plan p = plan::make_plan(n.ir, live);
    INFO(plan_listing(p));
    REQUIRE(p.conflicts.size() == 1);
    CHECK(p.conflicts[0].message == "route default in namespace pod-1 exists and was not created by podnetc");
    CHECK(p.conflicts[0].notes[1] ==
          "podnetc's applied record lists it as podnetc's own: another writer (protocol 12) has replaced it "
          "with other values; stop that writer or delete the object");
}

TEST_CASE("podnetc's route now held by a routing daemon with podnetc's values: re-marked") {
    Node n;
    live::State live = converged(n.ir);
    default_route(live, "pod-1")->protocol = kProtoBird;
    const plan::Plan p = plan::make_plan(n.ir, live);
    INFO(plan_listing(p));
    CHECK(p.conflicts.empty());
    REQUIRE(p.ops.size() == 1);
    CHECK(step_line(p.ops[0].step) == "replace_route pod-1 0.0.0.0/0");
    CHECK(p.ops[0].reason == plan::Reason::drift);
}

TEST_CASE("without an applied record the same objects are foreign: conflicts") {
    Node n;
    live::State live = rewritten_pod_1(n.ir);
    live.last_applied.reset();
    const plan::Plan p = plan::make_plan(n.ir, live);
    INFO(plan_listing(p));
    CHECK(p.conflicts.size() == 3);  // address, route, neighbour
    // A veth whose peer is still marked is podnetc's either way: its group is put back.
    REQUIRE(p.ops.size() == 1);
    CHECK(step_line(p.ops[0].step) == "change_link veth1");
}

TEST_CASE("a pod namespace missing from the registry, listed in the record: registered again") {
    Node n;
    live::State live = converged(n.ir);
    for (auto& ns : live.namespaces) {
        if (ns.name == "pod-2") ns.owned = false;
    }
    const plan::Plan p = plan::make_plan(n.ir, live);
    INFO(plan_listing(p));
    CHECK(p.conflicts.empty());
    REQUIRE(p.ops.size() == 1);
    CHECK(step_line(p.ops[0].step) == "register_netns pod-2");
    CHECK(p.ops[0].reason == plan::Reason::drift);
    CHECK(p.ops[0].detail == "missing from podnetc's namespace registry");
}
