// Drift: an owned, declared object that differs from what the last apply declared,
// while the file did not change it. Without a record, the same repair is a change
// of the file.
#include <algorithm>

#include <catch2/catch.hpp>

#include "compiler/objects/kernel_values.hpp"
#include "compiler/plan/planner.hpp"
#include "tests/unit/apply/kernel_sim.hpp"
#include "tests/unit/plan/plan_checks.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"

using namespace podnetc;
using namespace podnetc::test;

namespace {

using Node = RoutedPair;

// A hand-made change, done through the simulator so that the kernel's own side
// effects (routes flushed with a link going down…) are in the state.
live::State by_hand(const live::State& live, const plan::Step& step) {
    KernelSim sim(live);
    REQUIRE(sim.apply(step).empty());
    live::State out = sim.state();
    out.last_applied = live.last_applied;
    return out;
}

}  // namespace

TEST_CASE("a pod route deleted by hand") {
    Node n;
    const live::State converged_state = converged(n.ir);
    kernel::Route route;
    route.netns = "pod-1";
    route.dst = prefix("0.0.0.0/0");
    route.gateway = ipv4("169.254.1.1");
    route.dev = "eth0";
    route.protocol = 176;
    live::State live = by_hand(converged_state, plan::DeleteRoute{route});

    SECTION("with a record: drift") {
        const plan::Plan p = plan::make_plan(n.ir, live);
        INFO(plan_listing(p));
        REQUIRE(p.ops.size() == 1);
        CHECK(step_line(p.ops[0].step) == "add_route pod-1 0.0.0.0/0");
        CHECK(p.ops[0].reason == plan::Reason::drift);
        CHECK(p.ops[0].detail == "missing");
        CHECK(check_rollback(p, live).empty());
    }
    SECTION("without a record: a change of the file") {
        live.last_applied.reset();
        const plan::Plan p = plan::make_plan(n.ir, live);
        REQUIRE(p.ops.size() == 1);
        CHECK(p.ops[0].reason == plan::Reason::missing);
        CHECK(p.ops[0].detail.empty());
    }
}

TEST_CASE("proxy_arp switched off by hand") {
    Node n;
    plan::LinkChange change;
    change.name = "veth2";
    change.proxy_arp = false;
    live::State live = by_hand(converged(n.ir), plan::ChangeLink{change});

    const plan::Plan p = plan::make_plan(n.ir, live);
    INFO(plan_listing(p));
    REQUIRE(p.ops.size() == 1);
    CHECK(step_line(p.ops[0].step) == "change_link veth2");
    CHECK(p.ops[0].reason == plan::Reason::drift);
    CHECK(p.ops[0].detail == "proxy_arp off -> on");
    CHECK(p.ops[0].pod == "pod-2");
    const auto& set = plan::object_of<plan::LinkChange>(p.ops[0].step);
    CHECK(set.proxy_arp == true);
    CHECK_FALSE(set.forwarding);  // only what differs
    REQUIRE(p.ops[0].inverse.size() == 1);
    CHECK(plan::object_of<plan::LinkChange>(p.ops[0].inverse[0]).proxy_arp == false);
    CHECK(check_rollback(p, live).empty());

    live.last_applied.reset();
    const plan::Plan without = plan::make_plan(n.ir, live);
    REQUIRE(without.ops.size() == 1);
    CHECK(without.ops[0].reason == plan::Reason::differs);
}

TEST_CASE("a pod's veth taken down by hand: the kernel flushed its routes and ARP entries") {
    Node n;
    plan::LinkChange down;
    down.netns = "pod-1";
    down.name = "eth0";
    down.up = false;
    live::State live = by_hand(converged(n.ir), plan::ChangeLink{down});

    const plan::Plan p = plan::make_plan(n.ir, live);
    INFO(plan_listing(p));
    CHECK(step_lines(p) == std::vector<std::string>{
                               "change_link pod-1/eth0",
                               "add_route pod-1 169.254.1.1/32",
                               "add_route pod-1 0.0.0.0/0",
                               "add_neighbor pod-1/eth0 169.254.1.1",
                           });
    for (const auto& op : p.ops) CHECK(op.reason == plan::Reason::drift);
    CHECK(p.ops[0].detail == "down -> up");
    CHECK(p.ops[1].detail == "missing");
    CHECK(check_rollback(p, live).empty());
    CHECK(check_converges(n.ir, p, live).empty());

    live.last_applied.reset();
    const plan::Plan without = plan::make_plan(n.ir, live);
    REQUIRE(without.ops.size() == 4);
    CHECK(without.ops[0].reason == plan::Reason::differs);
    CHECK(without.ops[1].reason == plan::Reason::missing);
}

TEST_CASE("a change of the file is not drift even when the kernel also moved") {
    Node n;
    live::State live = converged(n.ir);
    // The record says veth2 was applied with another MTU than the file now declares.
    (*live.last_applied)["link veth2"] = "link veth2 veth peer pod-2/eth0 mac ee:ee:ee:ee:ee:ee mtu 9000 up";
    find_link(live, "", "veth2")->proxy_arp = false;
    const plan::Plan p = plan::make_plan(n.ir, live);
    REQUIRE(p.ops.size() == 1);
    CHECK(p.ops[0].reason == plan::Reason::differs);
}

TEST_CASE("applied_record: one readable line per declared object") {
    Node n;
    const auto record = plan::applied_record(n.ir);
    CHECK(record.at("netns pod-1") == "netns pod-1");
    CHECK(record.at("link veth1") ==
          "link veth1 veth peer pod-1/eth0 mac ee:ee:ee:ee:ee:ee up proxy_arp on forwarding on proxy_delay 0");
    CHECK(record.at("link pod-1/eth0") == "link pod-1/eth0 veth peer veth1 up");
    CHECK(record.at("address pod-1/eth0 10.10.1.10/32") == "address 10.10.1.10/32 dev pod-1/eth0");
    CHECK(record.at("route pod-1 0.0.0.0/0 metric 0") == "route default via 169.254.1.1 dev pod-1/eth0");
    CHECK(record.at("route 10.10.1.10/32 metric 0") == "route 10.10.1.10/32 dev veth1 scope link");
    CHECK(record.at("neighbor pod-1/eth0 169.254.1.1") ==
          "neighbor 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee dev pod-1/eth0");
    CHECK(record.size() == 2 + 4 + 2 + 6 + 2);
}

TEST_CASE("the fingerprint is stable and sees every change, ifindex included") {
    Node n;
    const live::State live = converged(n.ir);
    const std::string fp = plan::fingerprint(n.ir, live);
    CHECK(fp.size() == 16);
    live::State shuffled = live;
    std::reverse(shuffled.links.begin(), shuffled.links.end());
    std::reverse(shuffled.routes.begin(), shuffled.routes.end());
    CHECK(plan::fingerprint(n.ir, shuffled) == fp);
    live::State recreated = live;
    find_link(recreated, "", "veth1")->ifindex += 100;
    CHECK(plan::fingerprint(n.ir, recreated) != fp);
    live::State moved = live;
    // (a route of pod-1: the host's own uplink routes are outside the fingerprint)
    std::find_if(moved.routes.begin(), moved.routes.end(), [](const live::Route& r) { return r.netns == "pod-1"; })
        ->metric = 7;
    CHECK(plan::fingerprint(n.ir, moved) != fp);
    CHECK(plan::make_plan(n.ir, live).state_fingerprint == fp);
}

TEST_CASE("the fingerprint covers what the plan reads, not the rest of the node") {
    Node n;
    const live::State live = converged(n.ir);
    const std::string fp = plan::fingerprint(n.ir, live);
    live::State foreign = live;  // `ip link add vx0 type veth peer name vx1` by another tool
    live::Link a = *find_link(foreign, "", "veth1");
    a.name = "vx0";
    a.ifindex = 900;
    a.group = 0;
    a.peer_netns = "";
    a.peer_name = "vx1";
    foreign.links.push_back(a);
    live::Route r = foreign.routes.front();
    r.netns = "";
    r.dev = "vx0";
    r.dst = *ip::Prefix::parse("192.0.2.0/24");
    r.protocol = kernel::kProtoBoot;
    foreign.routes.push_back(r);
    CHECK(plan::fingerprint(n.ir, foreign) == fp);
    live::State in_a_pod = live;  // anything inside a pod namespace is read
    live::Route pod_route = r;
    pod_route.netns = "pod-1";
    pod_route.dev = "eth0";
    in_a_pod.routes.push_back(pod_route);
    CHECK(plan::fingerprint(n.ir, in_a_pod) != fp);
    live::State on_owned = live;  // and anything on podnetc's host links
    live::Route host_route = r;
    host_route.dev = "veth1";
    on_owned.routes.push_back(host_route);
    CHECK(plan::fingerprint(n.ir, on_owned) != fp);
}
