// The destroy plan: everything podnetc owns goes, in few messages; foreign objects
// stay; the inverses put it all back.
#include <catch2/catch.hpp>

#include "compiler/plan/planner.hpp"
#include "tests/unit/apply/kernel_sim.hpp"
#include "tests/unit/plan/plan_checks.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"

using namespace podnetc;
using namespace podnetc::test;

namespace {

void check_leaves_bare_node(const plan::Plan& p, const live::State& live, const live::State& expected) {
    live::State after;
    REQUIRE(apply_plan(p, live, &after).empty());
    CHECK(dump(normalized(after)) == dump(normalized(expected)));
    CHECK(check_rollback(p, live).empty());
}

}  // namespace

TEST_CASE("destroying a routed node: one group delete, then the namespaces") {
    SourceSet sources;
    const auto ir = IrBuilder()
                        .route_network("pods", "10.10.1.0/24")
                        .pod("pod-1", "pods", "10.10.1.10", "veth1")
                        .pod("pod-2", "pods", "10.10.1.11", "veth2")
                        .build(sources);
    const live::State live = converged(ir);
    const plan::Plan p = plan::make_destroy_plan(ir, live);
    INFO(plan_listing(p));
    CHECK(p.conflicts.empty());
    CHECK(step_lines(p) == std::vector<std::string>{"delete_link group 20558 in ''", "delete_netns pod-1",
                                                    "delete_netns pod-2"});
    CHECK(p.ops[1].source == ir.namespaces[0].range);
    CHECK(p.ops[1].pod == "pod-1");
    // Rolling back the group delete re-creates both pairs with their MACs, addresses, routes, ARP entries.
    CHECK(p.ops[0].inverse.size() > 10);
    check_leaves_bare_node(p, live, bare_node());
}

TEST_CASE("destroying a mesh: group deletes inside the pods") {
    SourceSet sources;
    const auto ir = IrBuilder()
                        .mesh_network("mesh", "10.10.1.0/24")
                        .pod("pod-1", "mesh", "10.10.1.10")
                        .pod("pod-2", "mesh", "10.10.1.11")
                        .pod("pod-3", "mesh", "10.10.1.12")
                        .build(sources);
    const live::State live = converged(ir);
    const plan::Plan p = plan::make_destroy_plan(ir, live);
    INFO(plan_listing(p));
    CHECK(step_lines(p) == std::vector<std::string>{"delete_link group 20558 in 'pod-1'",
                                                    "delete_link group 20558 in 'pod-2'", "delete_netns pod-1",
                                                    "delete_netns pod-2", "delete_netns pod-3"});
    check_leaves_bare_node(p, live, bare_node());
}

TEST_CASE("destroy keeps foreign objects and deletes owned ones that outlive the links") {
    SourceSet sources;
    const auto ir = IrBuilder()
                        .bridge_network("cbr0", "10.10.1.0/24", "10.10.1.1")
                        .pod("pod-1", "cbr0", "10.10.1.10", "veth1")
                        .build(sources);
    live::State live = converged(ir);
    // An owned route through the foreign uplink (adopted once), and a foreign one.
    live::Route owned;
    owned.netns = "";
    owned.dst = prefix("10.20.0.0/16");
    owned.gateway = ipv4("192.168.0.254");
    owned.dev = "eth0";
    owned.protocol = 176;
    live.routes.push_back(owned);
    live::Route foreign = owned;
    foreign.dst = prefix("10.30.0.0/16");
    foreign.protocol = 4;
    live.routes.push_back(foreign);
    const plan::Plan p = plan::make_destroy_plan(ir, live);
    INFO(plan_listing(p));
    CHECK(p.conflicts.empty());
    CHECK(step_lines(p) == std::vector<std::string>{"delete_link group 20558 in ''", "delete_route 10.20.0.0/16",
                                                    "delete_netns pod-1"});
    live::State expected = bare_node();
    expected.routes.push_back(foreign);
    check_leaves_bare_node(p, live, expected);
}

TEST_CASE("destroy refuses to take foreign objects with it") {
    SourceSet sources;
    const auto ir = IrBuilder().route_network("pods", "10.10.1.0/24").pod("pod-1", "pods", "10.10.1.10", "veth1").build(sources);
    live::State live = converged(ir);
    live::Link tun;
    tun.netns = "pod-1";
    tun.name = "tun0";
    tun.kind = "tun";
    tun.mtu = 1500;
    live.links.push_back(tun);
    const plan::Plan p = plan::make_destroy_plan(ir, live);
    REQUIRE(p.conflicts.size() == 1);
    CHECK(p.conflicts[0].message == "namespace pod-1 holds foreign link tun0; remove it or keep the pod");
    CHECK(p.conflicts[0].source == ir.namespaces[0].range);
}

TEST_CASE("destroy of a node podnetc never touched is empty") {
    SourceSet sources;
    const auto ir = IrBuilder().build(sources);
    const plan::Plan p = plan::make_destroy_plan(ir, bare_node());
    CHECK(p.ops.empty());
    CHECK(p.conflicts.empty());
}
