// Minimal plans for changes of the file: a pod added, an address changed, a pod
// removed, a network switched from bridge to route mode.
#include <catch2/catch.hpp>

#include <algorithm>

#include <fmt/format.h>

#include "compiler/plan/planner.hpp"
#include "tests/unit/apply/kernel_sim.hpp"
#include "tests/unit/plan/plan_checks.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"

using namespace podnetc;
using namespace podnetc::test;

namespace {

// The node after applying `before`, then planned against `after`.
struct Transition {
    SourceSet sources;
    ir::NodeIr old_ir;
    ir::NodeIr new_ir;
    live::State live;
    plan::Plan plan;

    Transition(const IrBuilder& before, const IrBuilder& after) {
        old_ir = before.build(sources);
        new_ir = after.build(sources);
        live = converged(old_ir);
        plan = plan::make_plan(new_ir, live);
    }

    void check_executable() const {
        INFO(plan_listing(plan));
        CHECK(plan.conflicts.empty());
        CHECK(check_converges(new_ir, plan, live).empty());
        CHECK(check_rollback(plan, live).empty());
    }
};

IrBuilder route_pods(int count, int changed_pod = 0, std::string changed_address = "") {
    IrBuilder b;
    b.route_network("pods", "10.10.1.0/24");
    for (int i = 1; i <= count; ++i) {
        std::string address = fmt::format("10.10.1.{}", 9 + i);
        if (i == changed_pod) address = changed_address;
        b.pod(fmt::format("pod-{}", i), "pods", address, fmt::format("veth{}", i));
    }
    return b;
}

IrBuilder gateway_bridge(std::string pod1_address = "10.10.1.10") {
    return IrBuilder()
        .bridge_network("cbr0", "10.10.1.0/24", "10.10.1.1")
        .pod("pod-1", "cbr0", pod1_address, "veth1")
        .pod("pod-2", "cbr0", "10.10.1.11", "veth2");
}

}  // namespace

TEST_CASE("adding a pod touches only that pod's objects") {
    const Transition t(route_pods(2), route_pods(3));
    t.check_executable();
    INFO(plan_listing(t.plan));
    CHECK(step_lines(t.plan) == std::vector<std::string>{
                                    "create_netns pod-3",
                                    "create_link veth3",
                                    "change_link veth3",
                                    "set_neigh_parms veth3",
                                    "add_route 10.10.1.12/32",
                                    "change_link pod-3/eth0",
                                    "add_address pod-3/eth0 10.10.1.12/32",
                                    "add_route pod-3 169.254.1.1/32",
                                    "add_route pod-3 0.0.0.0/0",
                                    "add_neighbor pod-3/eth0 169.254.1.1",
                                });
    for (const auto& op : t.plan.ops) {
        CHECK(op.pod == "pod-3");
        CHECK(op.reason == plan::Reason::missing);
    }
}

TEST_CASE("changing a /32 pod address in route mode: the address and the host route, nothing else") {
    const Transition t(route_pods(2), route_pods(2, 1, "10.10.1.20"));
    t.check_executable();
    INFO(plan_listing(t.plan));
    CHECK(step_lines(t.plan) == std::vector<std::string>{
                                    "add_route 10.10.1.20/32",
                                    "add_address pod-1/eth0 10.10.1.20/32",
                                    "delete_route 10.10.1.10/32",
                                    "delete_address pod-1/eth0 10.10.1.10/32",
                                });
    CHECK(t.plan.ops[2].reason == plan::Reason::undeclared);
    CHECK(t.plan.ops[2].pod == "pod-1");
    CHECK(t.plan.ops[3].pod == "pod-1");
}

TEST_CASE("changing a pod address in a mesh changes the routes of its peers") {
    const auto mesh = [](std::string a) {
        return IrBuilder()
            .mesh_network("mesh", "10.10.1.0/24")
            .pod("pod-1", "mesh", a)
            .pod("pod-2", "mesh", "10.10.1.11")
            .pod("pod-3", "mesh", "10.10.1.12");
    };
    const Transition t(mesh("10.10.1.10"), mesh("10.10.1.20"));
    t.check_executable();
    INFO(plan_listing(t.plan));
    CHECK(step_lines(t.plan) == std::vector<std::string>{
                                    "add_address pod-1/pod-2 10.10.1.20/32",
                                    "add_address pod-1/pod-3 10.10.1.20/32",
                                    "add_route pod-2 10.10.1.20/32",
                                    "add_route pod-3 10.10.1.20/32",
                                    "delete_address pod-1/pod-2 10.10.1.10/32",
                                    "delete_address pod-1/pod-3 10.10.1.10/32",
                                    "delete_route pod-2 10.10.1.10/32",
                                    "delete_route pod-3 10.10.1.10/32",
                                });
}

TEST_CASE("a /24 address replaced in the same subnet: the old primary goes first") {
    // Added first, 10.10.1.20/24 would be a secondary of 10.10.1.10/24, and deleting
    // the primary deletes its secondaries (promote_secondaries is off).
    const Transition t(gateway_bridge(), gateway_bridge("10.10.1.20"));
    t.check_executable();
    INFO(plan_listing(t.plan));
    const auto lines = step_lines(t.plan);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "delete_address pod-1/eth0 10.10.1.10/24");
    CHECK(lines[1] == "add_address pod-1/eth0 10.10.1.20/24");
    // The old address was eth0's only one: the kernel flushed the routes through eth0.
    CHECK(lines[2] == "add_route pod-1 0.0.0.0/0");
    CHECK(t.plan.ops[0].detail ==
          "deleted first: later, it would take address 10.10.1.20/24 dev pod-1/eth0, route default via 10.10.1.1 "
          "dev pod-1/eth0 with it");
    CHECK(t.plan.ops[2].reason == plan::Reason::missing);
    CHECK(t.plan.ops[2].detail ==
          "again: the kernel removes it when podnetc does \"delete address 10.10.1.10/24 dev pod-1/eth0\"");
    // Its inverse puts back the address and the route it took with it.
    std::vector<std::string> inverse;
    for (const auto& s : t.plan.ops[0].inverse) inverse.push_back(step_line(s));
    CHECK(inverse == std::vector<std::string>{"add_address pod-1/eth0 10.10.1.10/24", "add_route pod-1 0.0.0.0/0"});
}

TEST_CASE("a /24 address replaced in another subnet keeps the constructive order") {
    const Transition t(gateway_bridge("10.10.1.10/24"), gateway_bridge("10.10.1.10/25"));
    t.check_executable();
    INFO(plan_listing(t.plan));
    const auto lines = step_lines(t.plan);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "add_address pod-1/eth0 10.10.1.10/25");
    CHECK(lines[1] == "delete_address pod-1/eth0 10.10.1.10/24");
}

TEST_CASE("removing a pod removes exactly what podnetc made for it") {
    SECTION("route mode: the host route, the host veth (both ends), then the namespace") {
        const Transition t(route_pods(3), route_pods(2));
        t.check_executable();
        INFO(plan_listing(t.plan));
        CHECK(step_lines(t.plan) == std::vector<std::string>{
                                        "delete_route 10.10.1.12/32",
                                        "delete_link veth3",
                                        "delete_netns pod-3",
                                    });
        for (const auto& op : t.plan.ops) {
            CHECK(op.pod == "pod-3");
            CHECK(op.reason == plan::Reason::undeclared);
            CHECK_FALSE(op.source.known());
        }
        // Deleting the link takes the pod end, its address, routes and neighbour: the
        // inverse restores them with the live MACs.
        const auto& inverse = t.plan.ops[1].inverse;
        REQUIRE_FALSE(inverse.empty());
        const auto& create = plan::object_of<plan::LinkCreate>(inverse.front());
        CHECK(create.end.name == "veth3");
        CHECK(create.end.mac == mac("ee:ee:ee:ee:ee:ee"));
        CHECK(create.peer->mac == find_link(t.live, "pod-3", "eth0")->mac);
        std::vector<std::string> lines;
        for (const auto& s : inverse) lines.push_back(step_line(s));
        CHECK(std::count(lines.begin(), lines.end(), "add_address pod-3/eth0 10.10.1.12/32") == 1);
        CHECK(std::count(lines.begin(), lines.end(), "add_route pod-3 0.0.0.0/0") == 1);
        CHECK(std::count(lines.begin(), lines.end(), "add_neighbor pod-3/eth0 169.254.1.1") == 1);
    }
    SECTION("mesh: the peers' ends, addresses and routes go explicitly, links inside the namespace with it") {
        const auto mesh = [](int n) {
            IrBuilder b;
            b.mesh_network("mesh", "10.10.1.0/24");
            for (int i = 1; i <= n; ++i) b.pod(fmt::format("pod-{}", i), "mesh", fmt::format("10.10.1.{}", 9 + i));
            return b;
        };
        const Transition t(mesh(3), mesh(2));
        t.check_executable();
        INFO(plan_listing(t.plan));
        CHECK(step_lines(t.plan) == std::vector<std::string>{
                                        "delete_route pod-1 10.10.1.12/32",
                                        "delete_address pod-1/pod-3 10.10.1.10/32",
                                        "delete_route pod-2 10.10.1.12/32",
                                        "delete_address pod-2/pod-3 10.10.1.11/32",
                                        "delete_link pod-1/pod-3",
                                        "delete_link pod-2/pod-3",
                                        "delete_netns pod-3",
                                    });
    }
}

TEST_CASE("switching a network from bridge to route mode") {
    const auto bridge = IrBuilder()
                            .bridge_network("pods", "10.10.1.0/24")
                            .pod("pod-1", "pods", "10.10.1.10/32", "veth1")
                            .pod("pod-2", "pods", "10.10.1.11/32", "veth2");
    const auto route = IrBuilder()
                           .route_network("pods", "10.10.1.0/24")
                           .pod("pod-1", "pods", "10.10.1.10/32", "veth1")
                           .pod("pod-2", "pods", "10.10.1.11/32", "veth2");
    const Transition t(bridge, route);
    t.check_executable();
    INFO(plan_listing(t.plan));
    CHECK(step_lines(t.plan) == std::vector<std::string>{
                                    "change_link veth1",
                                    "change_link veth2",
                                    "set_neigh_parms veth1",
                                    "set_neigh_parms veth2",
                                    "add_route 10.10.1.10/32",
                                    "add_route 10.10.1.11/32",
                                    "add_route pod-1 169.254.1.1/32",
                                    "replace_route pod-1 0.0.0.0/0",
                                    "add_neighbor pod-1/eth0 169.254.1.1",
                                    "add_route pod-2 169.254.1.1/32",
                                    "replace_route pod-2 0.0.0.0/0",
                                    "add_neighbor pod-2/eth0 169.254.1.1",
                                    "delete_link pods",
                                });
    CHECK(t.plan.ops[0].detail ==
          "mac -> ee:ee:ee:ee:ee:ee, master pods -> none, proxy_arp off -> on, forwarding off -> on");
    CHECK(t.plan.ops[2].detail == "proxy_delay 80 -> 0");
    CHECK(t.plan.ops[7].detail == "via none -> 169.254.1.1, scope link -> global");
    // The inverse of the default route's replacement is replacing it back.
    REQUIRE(t.plan.ops[7].inverse.size() == 1);
    CHECK(t.plan.ops[7].inverse[0].kind() == plan::StepKind::replace_route);
    CHECK(plan::object_of<kernel::Route>(t.plan.ops[7].inverse[0]).scope == 253);
}

TEST_CASE("a veth whose peer changed is deleted first and re-created under its name") {
    // veth1 now serves pod-2 (and pod-1 got another host veth).
    const auto before = IrBuilder()
                            .route_network("pods", "10.10.1.0/24")
                            .pod("pod-1", "pods", "10.10.1.10", "veth1")
                            .pod("pod-2", "pods", "10.10.1.11", "veth2");
    const auto after = IrBuilder()
                           .route_network("pods", "10.10.1.0/24")
                           .pod("pod-1", "pods", "10.10.1.10", "veth9")
                           .pod("pod-2", "pods", "10.10.1.11", "veth1");
    const Transition t(before, after);
    t.check_executable();
    INFO(plan_listing(t.plan));
    const auto lines = step_lines(t.plan);
    REQUIRE(lines.size() > 3);
    // Host first: deleting veth1 also removes pod-1/eth0, whose peer changes too.
    CHECK(lines[0] == "delete_link veth1");
    CHECK(lines[1] == "delete_link pod-2/eth0");
    CHECK(t.plan.ops[0].reason == plan::Reason::differs);
    CHECK(t.plan.ops[0].detail == "peer pod-1/eth0 -> pod-2/eth0: deleted to be re-created");
    CHECK(t.plan.ops[1].detail == "peer veth2 -> veth1: deleted to be re-created");
    CHECK(std::count(lines.begin(), lines.end(), "delete_link veth2") == 0);  // went with pod-2/eth0
    CHECK(std::count(lines.begin(), lines.end(), "create_link veth1") == 1);
    CHECK(std::count(lines.begin(), lines.end(), "create_link veth9") == 1);
}

TEST_CASE("a link whose kind changed is re-created") {
    SourceSet sources;
    const auto ir = IrBuilder().bridge_network("cbr0", "10.10.1.0/24").pod("pod-1", "cbr0", "10.10.1.10", "veth1").build(sources);
    live::State live = converged(ir);
    find_link(live, "", "cbr0")->kind = "veth";
    find_link(live, "", "cbr0")->peer_netns = "?";
    find_link(live, "", "cbr0")->peer_name = "x";
    find_link(live, "", "veth1")->master.clear();
    const plan::Plan p = plan::make_plan(ir, live);
    INFO(plan_listing(p));
    const auto lines = step_lines(p);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "delete_link cbr0");
    // Its peer lives in a namespace without a name: that end cannot be re-created.
    CHECK(p.ops[0].detail == "kind veth -> bridge: deleted to be re-created; its undo cannot restore link cbr0");
    CHECK(lines[1] == "create_link cbr0");
    CHECK(lines[2] == "change_link veth1");
}
