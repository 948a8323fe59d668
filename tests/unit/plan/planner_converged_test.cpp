// No phantom diffs: a node that matches its file plans nothing, whatever the kernel
// added by itself (lo, prefix and local routes, carrier flags, operstate, MTUs and
// MACs it chose, devconf that is not declared).
#include <catch2/catch.hpp>

#include "compiler/plan/planner.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"

using namespace podnetc;
using namespace podnetc::test;

namespace {

void require_empty(const ir::NodeIr& ir, const live::State& live) {
    const plan::Plan p = plan::make_plan(ir, live);
    INFO(plan_listing(p));
    CHECK(p.ops.empty());
    CHECK(p.conflicts.empty());
}

}  // namespace

TEST_CASE("a converged node plans nothing, in every mode") {
    SourceSet sources;
    SECTION("bridge (the article's /32 experiment)") {
        const auto ir = IrBuilder()
                            .bridge_network("cbr0", "10.10.1.0/24")
                            .pod("pod-1", "cbr0", "10.10.1.10/32", "veth1")
                            .pod("pod-2", "cbr0", "10.10.1.11/32", "veth2")
                            .build(sources);
        require_empty(ir, converged(ir));
        require_empty(ir, converged(ir, LiveOptions{false, true}));
    }
    SECTION("route") {
        const auto ir = IrBuilder()
                            .route_network("pods", "10.10.1.0/24")
                            .pod("pod-1", "pods", "10.10.1.10", "veth1")
                            .pod("pod-2", "pods", "10.10.1.11", "veth2")
                            .build(sources);
        require_empty(ir, converged(ir));
    }
    SECTION("mesh") {
        const auto ir = IrBuilder()
                            .mesh_network("mesh", "10.10.1.0/24")
                            .pod("pod-1", "mesh", "10.10.1.10")
                            .pod("pod-2", "mesh", "10.10.1.11")
                            .pod("pod-3", "mesh", "10.10.1.12")
                            .pod("pod-4", "mesh", "10.10.1.13")
                            .build(sources);
        require_empty(ir, converged(ir));
    }
    SECTION("bridge with a gateway (prefix routes of /24 pod addresses and of the bridge)") {
        const auto ir = IrBuilder()
                            .bridge_network("cbr0", "10.10.1.0/24", "10.10.1.1")
                            .pod("pod-1", "cbr0", "10.10.1.10", "veth1")
                            .pod("pod-2", "cbr0", "10.10.1.11", "veth2")
                            .pod("pod-3", "cbr0", "10.10.1.12", "veth3")
                            .build(sources);
        const live::State live = converged(ir);
        bool prefix_route = false;
        for (const auto& r : live.routes) prefix_route |= r.netns == "pod-1" && r.protocol == 2 && r.dst == prefix("10.10.1.0/24");
        REQUIRE(prefix_route);
        require_empty(ir, live);
    }
}

TEST_CASE("what the kernel does by itself is not a diff") {
    SourceSet sources;
    const auto ir = IrBuilder()
                        .route_network("pods", "10.10.1.0/24")
                        .pod("pod-1", "pods", "10.10.1.10", "veth1")
                        .bridge_network("cbr0", "10.10.2.0/24")
                        .pod(PodSpec{"pod-2", "cbr0", "10.10.2.10", "veth2", false, 1450})
                        .build(sources);
    live::State live = converged(ir);

    // No carrier: IFF_UP stays, LOWER_UP/RUNNING and operstate go (lower-layer-down),
    // and the kernel marks routes through it linkdown.
    live::Link* host = find_link(live, "", "veth1");
    host->flags = 0x1;
    host->operstate = 7;  // IF_OPER_LOWERLAYERDOWN
    for (auto& r : live.routes) {
        if (r.dev == "veth1") r.flags |= 0x10;  // RTNH_F_LINKDOWN
    }
    // A bridge whose MTU was not declared follows its ports.
    find_link(live, "", "cbr0")->mtu = 1450;
    // Undeclared devconf and MACs are whatever the kernel chose.
    find_link(live, "pod-1", "eth0")->proxy_arp = true;
    find_link(live, "pod-2", "eth0")->mac = mac("02:11:22:33:44:55");
    // An alias and ifindex changes are not ours to manage.
    find_link(live, "", "veth2")->alias = "set by someone";
    // lo up in a pod namespace, with the kernel's address.
    find_link(live, "pod-1", "lo")->flags = 0x1 | 0x8;
    live::Address lo_address;
    lo_address.netns = "pod-1";
    lo_address.dev = "lo";
    lo_address.local = prefix("127.0.0.1/8");
    lo_address.scope = 254;
    lo_address.protocol = 1;
    live.addresses.push_back(lo_address);
    // A foreign route in another table, and one in main that stands in nobody's way.
    live::Route other_table;
    other_table.netns = "";
    other_table.table = 100;
    other_table.dst = prefix("10.10.1.10/32");
    other_table.dev = "eth0";
    other_table.protocol = 4;
    live.routes.push_back(other_table);
    live::Route unrelated = other_table;
    unrelated.table = 254;
    unrelated.dst = prefix("172.16.0.0/12");
    live.routes.push_back(unrelated);

    require_empty(ir, live);
}

TEST_CASE("a declared MTU of 0 and an undeclared MAC never cause changes; declared ones do") {
    SourceSet sources;
    const auto ir = IrBuilder()
                        .route_network("pods", "10.10.1.0/24")
                        .pod(PodSpec{"pod-1", "pods", "10.10.1.10", "veth1", false, 1450})
                        .build(sources);
    live::State live = converged(ir, LiveOptions{false, true});
    find_link(live, "", "veth1")->mtu = 1500;
    find_link(live, "", "veth1")->mac = mac("02:00:00:00:00:01");
    const plan::Plan p = plan::make_plan(ir, live);
    REQUIRE(p.ops.size() == 1);
    CHECK(step_line(p.ops[0].step) == "change_link veth1");
    CHECK(p.ops[0].reason == plan::Reason::differs);
    CHECK(p.ops[0].detail == "mtu 1500 -> 1450, mac -> ee:ee:ee:ee:ee:ee");
    const auto& change = plan::object_of<plan::LinkChange>(p.ops[0].step);
    CHECK(change.mtu == 1450u);
    CHECK(change.mac == mac("ee:ee:ee:ee:ee:ee"));
    CHECK_FALSE(change.up);
    CHECK_FALSE(change.master);
}
