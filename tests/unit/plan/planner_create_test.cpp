// From nothing: every declared object is created, in an order the kernel accepts.
#include <catch2/catch.hpp>

#include <algorithm>

#include "compiler/objects/ownership.hpp"
#include "compiler/plan/planner.hpp"
#include "tests/unit/apply/kernel_sim.hpp"
#include "tests/unit/plan/plan_checks.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"

using namespace podnetc;
using namespace podnetc::test;

namespace {

ir::NodeIr route_node(SourceSet& sources) {
    return IrBuilder()
        .node("worker-1")
        .route_network("pods", "10.10.1.0/24")
        .pod("pod-1", "pods", "10.10.1.10", "veth1")
        .pod("pod-2", "pods", "10.10.1.11", "veth2")
        .build(sources);
}

std::size_t position(const std::vector<std::string>& lines, const std::string& line) {
    const auto it = std::find(lines.begin(), lines.end(), line);
    REQUIRE(it != lines.end());
    return static_cast<std::size_t>(it - lines.begin());
}

}  // namespace

TEST_CASE("route mode from an empty node: every step, in kernel order") {
    SourceSet sources;
    const ir::NodeIr ir = route_node(sources);
    const live::State live = bare_node();
    const plan::Plan p = plan::make_plan(ir, live);

    CHECK(p.conflicts.empty());
    CHECK(p.node == "worker-1");
    CHECK(step_lines(p) == std::vector<std::string>{
                               "create_netns pod-1",
                               "create_netns pod-2",
                               "create_link veth1",
                               "create_link veth2",
                               "change_link veth1",
                               "change_link veth2",
                               "set_neigh_parms veth1",
                               "set_neigh_parms veth2",
                               "add_route 10.10.1.10/32",
                               "add_route 10.10.1.11/32",
                               "change_link pod-1/eth0",
                               "add_address pod-1/eth0 10.10.1.10/32",
                               "add_route pod-1 169.254.1.1/32",
                               "add_route pod-1 0.0.0.0/0",
                               "add_neighbor pod-1/eth0 169.254.1.1",
                               "change_link pod-2/eth0",
                               "add_address pod-2/eth0 10.10.1.11/32",
                               "add_route pod-2 169.254.1.1/32",
                               "add_route pod-2 0.0.0.0/0",
                               "add_neighbor pod-2/eth0 169.254.1.1",
                           });
    for (const auto& op : p.ops) {
        CHECK(op.reason == plan::Reason::missing);
        CHECK(op.source.known());
    }
    CHECK(apply_plan(p, live).empty());
    CHECK(check_converges(ir, p, live).empty());
    CHECK(check_rollback(p, live).empty());
}

TEST_CASE("the veth is created in one message, the peer is brought up separately") {
    SourceSet sources;
    const plan::Plan p = plan::make_plan(route_node(sources), bare_node());
    const auto& create = plan::object_of<plan::LinkCreate>(p.ops[2].step);
    CHECK(create.kind == kernel::kVeth);
    CHECK(create.end.name == "veth1");
    CHECK(create.end.netns.empty());
    CHECK(create.end.mac == mac("ee:ee:ee:ee:ee:ee"));
    CHECK(create.end.group == kOwnedLinkGroup);
    REQUIRE(create.peer);
    CHECK(create.peer->netns == "pod-1");
    CHECK(create.peer->name == "eth0");
    CHECK(create.up);
    CHECK(p.ops[2].step.netns().empty());
    const auto& peer_up = plan::object_of<plan::LinkChange>(p.ops[10].step);
    CHECK(peer_up.name == "eth0");
    CHECK(peer_up.up == true);
    CHECK(p.ops[10].detail == "up");
    const auto& host = plan::object_of<plan::LinkChange>(p.ops[4].step);
    CHECK(host.proxy_arp == true);
    CHECK(host.forwarding == true);
    CHECK_FALSE(host.up);
    CHECK(p.ops[4].detail == "proxy_arp on, forwarding on");
}

TEST_CASE("bridge mode from an empty node: the bridge exists before its ports") {
    SourceSet sources;
    const ir::NodeIr ir = IrBuilder()
                              .bridge_network("cbr0", "10.10.1.0/24", "10.10.1.1")
                              .pod("pod-1", "cbr0", "10.10.1.10", "veth1")
                              .pod("pod-2", "cbr0", "10.10.1.11", "veth2")
                              .build(sources);
    const live::State live = bare_node();
    const plan::Plan p = plan::make_plan(ir, live);
    const auto lines = step_lines(p);
    CHECK(position(lines, "create_link cbr0") < position(lines, "create_link veth1"));
    CHECK(position(lines, "add_address cbr0 10.10.1.1/24") > position(lines, "create_link cbr0"));
    CHECK(position(lines, "change_link pod-1/eth0") < position(lines, "add_address pod-1/eth0 10.10.1.10/24"));
    CHECK(position(lines, "add_address pod-1/eth0 10.10.1.10/24") < position(lines, "add_route pod-1 0.0.0.0/0"));
    CHECK(p.ops.front().pod == "pod-1");
    CHECK(apply_plan(p, live).empty());
    CHECK(check_converges(ir, p, live).empty());
    CHECK(check_rollback(p, live).empty());
}

TEST_CASE("mesh from an empty node: one pair per two pods, routes to every peer") {
    SourceSet sources;
    const ir::NodeIr ir = IrBuilder()
                              .mesh_network("mesh", "10.10.1.0/24")
                              .pod("pod-1", "mesh", "10.10.1.10")
                              .pod("pod-2", "mesh", "10.10.1.11")
                              .pod("pod-3", "mesh", "10.10.1.12")
                              .build(sources);
    const live::State live = bare_node();
    const plan::Plan p = plan::make_plan(ir, live);
    const auto lines = step_lines(p);
    CHECK(std::count_if(lines.begin(), lines.end(), [](const std::string& l) { return l.rfind("create_link", 0) == 0; }) == 3);
    CHECK(position(lines, "create_link pod-1/pod-2") < position(lines, "create_link pod-2/pod-3"));
    CHECK(apply_plan(p, live).empty());
    CHECK(check_converges(ir, p, live).empty());
    CHECK(check_rollback(p, live).empty());
}
