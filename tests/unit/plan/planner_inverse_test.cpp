// Inverses of every step kind, proven by execution: for every k, running ops[0..k)
// and then their inverses in reverse on the kernel simulator gives back the exact
// original state (the unit-level proof that the applier can roll back anything).
#include <catch2/catch.hpp>

#include <set>

#include <fmt/format.h>

#include "compiler/plan/planner.hpp"
#include "tests/unit/apply/kernel_sim.hpp"
#include "tests/unit/plan/plan_checks.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"

using namespace podnetc;
using namespace podnetc::test;

namespace {

struct Case {
    std::string name;
    ir::NodeIr desired;
    live::State live;
    bool destroy = false;
};

IrBuilder routed(int pods, int changed = 0, std::string address = "") {
    IrBuilder b;
    b.route_network("pods", "10.10.1.0/24");
    for (int i = 1; i <= pods; ++i) {
        b.pod(fmt::format("pod-{}", i), "pods", i == changed ? address : fmt::format("10.10.1.{}", 9 + i),
              fmt::format("veth{}", i));
    }
    return b;
}

IrBuilder gateway_bridge(std::string address, std::string network = "cbr0") {
    return IrBuilder()
        .bridge_network(network, "10.10.1.0/24", "10.10.1.1")
        .pod("pod-1", network, address, "veth1")
        .pod("pod-2", network, "10.10.1.11", "veth2");
}

live::State hand_made(live::State s) {
    for (auto& n : s.namespaces) n.owned = false;
    for (auto& l : s.links) l.group = 0;
    for (auto& a : s.addresses) a.protocol = a.protocol == 176 ? 0 : a.protocol;
    for (auto& r : s.routes) r.protocol = r.protocol == 176 ? 3 : r.protocol;
    for (auto& n : s.neighbors) n.protocol = 0;
    s.last_applied.reset();
    return s;
}

std::vector<Case> zoo(SourceSet& sources) {
    std::vector<Case> cases;
    const auto from_to = [&](std::string name, const IrBuilder& before, const IrBuilder& after) {
        cases.push_back(Case{std::move(name), after.build(sources), converged(before.build(sources))});
    };
    cases.push_back(Case{"route from scratch", routed(2).build(sources), bare_node()});
    cases.push_back(Case{"gateway bridge from scratch", gateway_bridge("10.10.1.10").build(sources), bare_node()});
    from_to("pod removed", routed(3), routed(2));
    from_to("route address changed", routed(2), routed(2, 2, "10.10.1.30"));
    from_to("secondary trap", gateway_bridge("10.10.1.10"), gateway_bridge("10.10.1.20"));
    from_to("bridge renamed", gateway_bridge("10.10.1.10"), gateway_bridge("10.10.1.10", "br1"));
    from_to("bridge to route",
            IrBuilder().bridge_network("pods", "10.10.1.0/24").pod("pod-1", "pods", "10.10.1.10/32", "veth1"),
            IrBuilder().route_network("pods", "10.10.1.0/24").pod("pod-1", "pods", "10.10.1.10/32", "veth1"));
    from_to("route to bridge",
            IrBuilder().route_network("pods", "10.10.1.0/24").pod("pod-1", "pods", "10.10.1.10/32", "veth1"),
            IrBuilder().bridge_network("pods", "10.10.1.0/24").pod("pod-1", "pods", "10.10.1.10/32", "veth1"));
    from_to("veth peers swapped",
            IrBuilder().route_network("p", "10.10.1.0/24").pod("pod-1", "p", "10.10.1.10", "veth1").pod("pod-2", "p", "10.10.1.11", "veth2"),
            IrBuilder().route_network("p", "10.10.1.0/24").pod("pod-1", "p", "10.10.1.10", "veth2").pod("pod-2", "p", "10.10.1.11", "veth1"));
    from_to("mtu changed", routed(1), IrBuilder().route_network("pods", "10.10.1.0/24").pod(PodSpec{"pod-1", "pods", "10.10.1.10", "veth1", false, 1400}));
    {
        const auto mesh = [](int n, std::string first) {
            IrBuilder b;
            b.mesh_network("mesh", "10.10.1.0/24");
            for (int i = 1; i <= n; ++i) b.pod(fmt::format("pod-{}", i), "mesh", i == 1 ? first : fmt::format("10.10.1.{}", 9 + i));
            return b;
        };
        from_to("mesh pod removed and address changed", mesh(3, "10.10.1.10"), mesh(2, "10.10.1.40"));
    }
    {
        // The neighbour's MAC changed by hand: replaced, and replaced back.
        const auto ir = routed(1).build(sources);
        live::State live = converged(ir);
        live.neighbors.front().lladdr = mac("02:00:00:00:00:99");
        cases.push_back(Case{"neighbour replaced", ir, live});
    }
    {
        const auto ir = IrBuilder()
                            .bridge_network("cbr0", "10.10.1.0/24", "10.10.1.1", true)
                            .pod(PodSpec{"pod-1", "cbr0", "10.10.1.10", "veth1", true})
                            .route_network("pods", "10.10.2.0/24")
                            .pod(PodSpec{"pod-2", "pods", "10.10.2.10", "veth2", true})
                            .build(sources);
        live::State live = hand_made(converged(ir, LiveOptions{.pod_lo_up = false}));  // made by `ip netns add`
        find_link(live, "", "veth2")->proxy_arp = false;
        cases.push_back(Case{"adoption", ir, live});
    }
    {
        const auto ir = gateway_bridge("10.10.1.10").build(sources);
        cases.push_back(Case{"destroy bridge", ir, converged(ir), true});
        const auto mesh = IrBuilder().mesh_network("m", "10.10.1.0/24").pod("a", "m", "10.10.1.10").pod("b", "m", "10.10.1.11").build(sources);
        cases.push_back(Case{"destroy mesh", mesh, converged(mesh), true});
        const auto routed_ir = routed(2).build(sources);
        // pod-1 as podnetc creates it (lo up, 127.0.0.1/8); pod-2 as `ip netns add`
        // leaves it (lo down, no address): a re-created pod-2 gets lo down again and
        // loses the 127.0.0.1/8 the kernel gave lo when create_netns brought it up.
        live::State mixed = converged(routed_ir);
        set_loopback(mixed, "pod-2", false, {});
        cases.push_back(Case{"destroy route", routed_ir, mixed, true});
        // lo changed by hand: taken down (127.0.0.1/8 stays), or 127.0.0.1/8 replaced.
        live::State by_hand = converged(routed_ir);
        set_loopback(by_hand, "pod-1", false, {loopback_address("pod-1", "127.0.0.1/8", 254, 1)});
        set_loopback(by_hand, "pod-2", true, {loopback_address("pod-2", "10.99.0.1/32", 0, 0)});
        cases.push_back(Case{"destroy, lo set by hand", routed_ir, by_hand, true});
    }
    return cases;
}

}  // namespace

TEST_CASE("every prefix of every plan rolls back to the identical state") {
    SourceSet sources;
    std::set<plan::StepKind> forward;
    std::set<plan::StepKind> inverse;
    for (const Case& c : zoo(sources)) {
        INFO(c.name);
        const plan::Plan p = c.destroy ? plan::make_destroy_plan(c.desired, c.live) : plan::make_plan(c.desired, c.live);
        CHECK(p.conflicts.empty());
        CHECK_FALSE(p.ops.empty());
        CHECK(check_rollback(p, c.live) == "");
        if (!c.destroy) CHECK(check_converges(c.desired, p, c.live) == "");
        for (const auto& op : p.ops) {
            forward.insert(op.step.kind());
            for (const auto& s : op.inverse) inverse.insert(s.kind());
        }
    }
    // Every step kind was exercised forward, and every one appears in some inverse.
    for (int k = 0; k <= static_cast<int>(plan::StepKind::delete_neighbor); ++k) {
        const auto kind = static_cast<plan::StepKind>(k);
        INFO(plan::step_kind_name(kind));
        if (kind != plan::StepKind::unregister_netns) CHECK(forward.count(kind) == 1);
        if (kind != plan::StepKind::register_netns) CHECK(inverse.count(kind) == 1);
    }
}

// A refused operation is not undone, but the others of its sendmsg went through: an
// address deletion after a refused addition removes the device's last address, and
// the kernel takes every route through it and its ARP entries along (hostile-history
// seed 729963741). Their undo restores the node all the same. (Other refused kinds
// are not covered yet: docs/APPLY.md, "The hostile-history test".)
TEST_CASE("with an address addition refused, undoing the others restores the state") {
    SourceSet sources;
    std::vector<Case> cases = zoo(sources);
    IrBuilder moved_bridge = IrBuilder().bridge_network("netb", "10.10.2.0/24").pod("pod-7", "netb", "10.10.2.44/32", "hv7");
    cases.push_back({"a bridge pod's /32 moves", moved_bridge.build(sources),
                     converged(IrBuilder().bridge_network("netb", "10.10.2.0/24")
                                   .pod("pod-7", "netb", "10.10.2.59/32", "hv7")
                                   .build(sources))});
    for (const Case& c : cases) {
        INFO(c.name);
        const plan::Plan p = c.destroy ? plan::make_destroy_plan(c.desired, c.live) : plan::make_plan(c.desired, c.live);
        CHECK(check_rollback_with_refusal(p, c.live, {plan::StepKind::add_address, plan::StepKind::replace_address}) == "");
    }
}

TEST_CASE("inverses by step kind") {
    SourceSet sources;
    const auto ir = routed(2).build(sources);
    const live::State live = converged(ir);

    SECTION("a create's inverse is the delete") {
        const plan::Plan p = plan::make_plan(ir, bare_node());
        REQUIRE(p.ops[2].step.kind() == plan::StepKind::create_link);
        REQUIRE(p.ops[2].inverse.size() == 1);
        CHECK(step_line(p.ops[2].inverse[0]) == "delete_link veth1");
        CHECK(step_line(p.ops[0].inverse[0]) == "delete_netns pod-1");
    }
    SECTION("taking a link down: its routes and permanent ARP entries come back after it is up") {
        // A file that declares pod-1's interface down, without the routes through it.
        ir::NodeIr down_ir = ir;
        for (auto& l : down_ir.links) {
            if (l.netns == "pod-1") l.flags &= ~kernel::kIffUp;
        }
        std::erase_if(down_ir.routes, [](const ir::Route& r) { return r.netns == "pod-1"; });
        std::erase_if(down_ir.neighbors, [](const ir::Neighbor& n) { return n.netns == "pod-1"; });
        const plan::Plan q = plan::make_plan(down_ir, live);
        REQUIRE(q.ops.size() == 1);  // the kernel removes the routes and the ARP entry itself
        const auto& op = q.ops.front();
        CHECK(step_line(op.step) == "change_link pod-1/eth0");
        CHECK(op.detail == "up -> down");
        std::vector<std::string> lines;
        for (const auto& s : op.inverse) lines.push_back(step_line(s));
        CHECK(lines == std::vector<std::string>{"change_link pod-1/eth0", "add_route pod-1 169.254.1.1/32",
                                                "add_route pod-1 0.0.0.0/0", "add_neighbor pod-1/eth0 169.254.1.1"});
        CHECK(check_rollback(q, live).empty());
    }
    SECTION("a deleted namespace comes back with lo exactly as it was") {
        const auto inverse_of_delete = [&](const live::State& before) {
            const plan::Plan d = plan::make_destroy_plan(ir, before);
            std::vector<std::string> lines;
            for (const auto& op : d.ops) {
                if (step_line(op.step) != "delete_netns pod-1") continue;
                for (const auto& s : op.inverse) lines.push_back(step_line(s));
            }
            CHECK(check_rollback(d, before).empty());
            return lines;
        };
        // As podnetc creates it: create_netns brings lo up, the kernel adds 127.0.0.1/8.
        const std::vector<std::string> plain = inverse_of_delete(live);
        REQUIRE(!plain.empty());
        CHECK(plain.front() == "create_netns pod-1");
        for (const std::string& line : plain) CHECK(line.find("/lo") == std::string::npos);
        const auto with = [&](std::string first, std::vector<std::string> more) {
            std::vector<std::string> lines = plain;
            lines.front() = std::move(first);
            lines.insert(lines.end(), more.begin(), more.end());
            return lines;
        };
        // As `ip netns add` leaves it: lo down, no address; re-created just so.
        live::State made_by_ip = live;
        set_loopback(made_by_ip, "pod-1", false, {});
        CHECK(inverse_of_delete(made_by_ip) == with("create_netns pod-1 (lo down)", {}));
        // Taken down by hand (the kernel keeps 127.0.0.1/8), or 127.0.0.1/8 deleted.
        live::State down = live;
        set_loopback(down, "pod-1", false, {loopback_address("pod-1", "127.0.0.1/8", 254, 1)});
        CHECK(inverse_of_delete(down) == with("create_netns pod-1 (lo down)", {"add_address pod-1/lo 127.0.0.1/8"}));
        live::State no_address = live;
        set_loopback(no_address, "pod-1", true, {});
        CHECK(inverse_of_delete(no_address) == with("create_netns pod-1", {"delete_address pod-1/lo 127.0.0.1/8"}));
    }
}

TEST_CASE("an undo that cannot be exact says so") {
    // pod-9's namespace was deleted by hand while a process kept it alive: the owned
    // host veth's peer lives in a namespace without a name. Deleting the veth cannot
    // be undone exactly.
    SourceSet sources;
    const auto ir = routed(1).build(sources);
    live::State live = converged(ir);
    live::Link stale;
    stale.netns = "";
    stale.ifindex = 90;
    stale.name = "veth9";
    stale.kind = "veth";
    stale.peer_netns = "?";
    stale.peer_name = "eth0";
    stale.mtu = 1500;
    stale.flags = 0x1;
    stale.group = 20558;
    live.links.push_back(stale);
    const plan::Plan p = plan::make_plan(ir, live);
    REQUIRE(p.ops.size() == 1);
    CHECK(step_line(p.ops[0].step) == "delete_link veth9");
    CHECK(p.ops[0].detail == "its undo cannot restore link veth9");
    CHECK(p.ops[0].inverse.empty());
}
