// Ownership: podnetc never plans to change or delete what it did not create. A
// foreign object in the way of a declaration is a conflict at that declaration.
#include <catch2/catch.hpp>

#include <algorithm>

#include "compiler/plan/planner.hpp"
#include "tests/unit/plan/plan_checks.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"

using namespace podnetc;
using namespace podnetc::test;

namespace {

bool mentions(const plan::Plan& p, std::string_view needle) {
    const auto lines = step_lines(p);
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(needle) != std::string::npos; });
}

live::Link foreign_link(std::string netns, std::string name, std::string kind) {
    live::Link l;
    l.netns = std::move(netns);
    l.ifindex = 77;
    l.name = std::move(name);
    l.kind = std::move(kind);
    l.mac = mac("02:99:00:00:00:01");
    l.mtu = 1500;
    l.flags = 0x1;
    return l;
}

// A link-scope route added by hand (`proto boot`, what `ip route add` gives).
live::Route foreign_route(std::string netns, std::string_view dst, std::string dev) {
    live::Route r;
    r.netns = std::move(netns);
    r.dst = prefix(dst);
    r.dev = std::move(dev);
    r.scope = 253;
    r.protocol = 3;
    return r;
}

// The article's route experiment: pod-1 10.10.1.10 on veth1, pod-2 10.10.1.11 on veth2.
ir::NodeIr two_routed_pods(SourceSet& sources) {
    return IrBuilder()
        .route_network("pods", "10.10.1.0/24")
        .pod("pod-1", "pods", "10.10.1.10", "veth1")
        .pod("pod-2", "pods", "10.10.1.11", "veth2")
        .build(sources);
}

}  // namespace

TEST_CASE("a foreign bridge with the network's name") {
    SourceSet sources;
    IrBuilder b;
    b.bridge_network("cbr0", "10.10.1.0/24").pod("pod-1", "cbr0", "10.10.1.10", "veth1");
    const auto ir = b.build(sources);
    live::State live = bare_node();
    live.links.push_back(foreign_link("", "cbr0", "bridge"));
    const plan::Plan p = plan::make_plan(ir, live);
    INFO(plan_listing(p));
    REQUIRE(p.conflicts.size() == 1);
    const auto& c = p.conflicts[0];
    CHECK(c.message == "link cbr0 exists and was not created by podnetc");
    CHECK(c.source == ir.networks[0].range);
    CHECK(c.notes == std::vector<std::string>{"found: bridge cbr0, up, mtu 1500, group 0",
                                              "podnetc marks its links with group 20558",
                                              "add `adopt` to network cbr0 to take it over"});
    // Nothing is planned on or through the foreign bridge.
    CHECK_FALSE(mentions(p, "cbr0"));
    CHECK_FALSE(mentions(p, "veth1"));
    CHECK_FALSE(mentions(p, "pod-1/eth0"));
}

TEST_CASE("a namespace with a pod's name that podnetc did not create") {
    SourceSet sources;
    const auto ir = two_routed_pods(sources);
    live::State live = bare_node();
    live.namespaces.push_back(live::Netns{"pod-2", false, {}});
    const plan::Plan p = plan::make_plan(ir, live);
    INFO(plan_listing(p));
    REQUIRE(p.conflicts.size() == 1);
    CHECK(p.conflicts[0].message == "namespace pod-2 exists and was not created by podnetc");
    CHECK(p.conflicts[0].source == ir.pods[1].range);
    CHECK(p.conflicts[0].notes.back() == "add `adopt` to pod pod-2 to take it over, or delete the namespace");
    CHECK(mentions(p, "pod-1"));
    CHECK_FALSE(mentions(p, "pod-2"));
    CHECK_FALSE(mentions(p, "veth2"));
    CHECK_FALSE(mentions(p, "10.10.1.11"));
}

TEST_CASE("a route for a pod's address through another interface") {
    SourceSet sources;
    const auto ir = IrBuilder().route_network("pods", "10.10.1.0/24").pod("pod-1", "pods", "10.10.1.10", "veth1").build(sources);
    live::State live = bare_node();
    live.routes.push_back(foreign_route("", "10.10.1.10/32", "eth0"));
    const plan::Plan p = plan::make_plan(ir, live);
    INFO(plan_listing(p));
    REQUIRE(p.conflicts.size() == 1);
    CHECK(p.conflicts[0].message == "route 10.10.1.10/32 in the host namespace exists and was not created by podnetc");
    CHECK(p.conflicts[0].source == ir.pods[0].range);
    CHECK(p.conflicts[0].notes[0] == "found: route 10.10.1.10/32 dev eth0 scope link proto boot");
    CHECK(p.conflicts[0].notes[1] == "it sends 10.10.1.10/32 through eth0 instead of veth1");
    CHECK_FALSE(mentions(p, "add_route 10.10.1.10/32"));
}

TEST_CASE("conflicts are listed in file order, whichever kind of object they are about") {
    SourceSet sources;
    const auto ir = two_routed_pods(sources);
    live::State live = bare_node();
    // Namespaces are classified before routes: pod-2's namespace is found first,
    // pod-1's route (an earlier line) later.
    live.namespaces.push_back(live::Netns{"pod-2", false, {}});
    live.routes.push_back(foreign_route("", "10.10.1.10/32", "eth0"));
    const plan::Plan p = plan::make_plan(ir, live);
    INFO(plan_listing(p));
    REQUIRE(p.conflicts.size() == 2);
    CHECK(p.conflicts[0].message == "route 10.10.1.10/32 in the host namespace exists and was not created by podnetc");
    CHECK(p.conflicts[0].source == ir.pods[0].range);
    CHECK(p.conflicts[1].message == "namespace pod-2 exists and was not created by podnetc");
    CHECK(p.conflicts[1].source == ir.pods[1].range);
}

TEST_CASE("a link with a host veth's name") {
    SourceSet sources;
    const auto ir = IrBuilder().route_network("pods", "10.10.1.0/24").pod("pod-1", "pods", "10.10.1.10", "veth1").build(sources);
    live::State live = bare_node();
    live::Link other = foreign_link("", "veth1", "veth");
    other.peer_netns = "";
    other.peer_name = "veth1-peer";
    live.links.push_back(other);
    live::Link peer = foreign_link("", "veth1-peer", "veth");
    peer.peer_netns = "";
    peer.peer_name = "veth1";
    live.links.push_back(peer);
    const plan::Plan p = plan::make_plan(ir, live);
    INFO(plan_listing(p));
    REQUIRE(p.conflicts.size() == 1);
    CHECK(p.conflicts[0].message == "link veth1 exists and was not created by podnetc");
    CHECK(p.conflicts[0].notes[0] == "found: veth veth1 peer veth1-peer, up, mtu 1500, group 0");
    CHECK(p.conflicts[0].notes[2] == "add `adopt` to pod pod-1 to take it over");
    CHECK_FALSE(mentions(p, "veth1"));
    CHECK_FALSE(mentions(p, "pod-1/eth0"));  // the pair cannot be made
}

TEST_CASE("foreign addresses and neighbours at a declared identity") {
    SourceSet sources;
    const auto ir = IrBuilder().route_network("pods", "10.10.1.0/24").pod("pod-1", "pods", "10.10.1.10", "veth1").build(sources);
    live::State live = converged(ir);
    for (auto& a : live.addresses) {
        if (a.netns == "pod-1") a.protocol = 0;
    }
    for (auto& n : live.neighbors) n.protocol = 0;
    live.last_applied.reset();  // with a record they are podnetc's own: planner_rewritten_test.cpp
    const plan::Plan p = plan::make_plan(ir, live);
    INFO(plan_listing(p));
    REQUIRE(p.conflicts.size() == 2);
    CHECK(p.conflicts[0].message == "address 10.10.1.10/32 on pod-1/eth0 exists and was not created by podnetc");
    CHECK(p.conflicts[0].notes[0] == "found: address 10.10.1.10/32 dev pod-1/eth0 proto unspec");
    CHECK(p.conflicts[1].message == "neighbor 169.254.1.1 on pod-1/eth0 exists and was not created by podnetc");
    CHECK(p.conflicts[1].notes[0] == "found: neighbor 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee dev pod-1/eth0 proto unspec");
    for (const auto& c : p.conflicts) CHECK(c.source == ir.pods[0].range);
    CHECK(p.ops.empty());
}

TEST_CASE("a namespace to delete that holds foreign objects") {
    SourceSet sources;
    const auto three = IrBuilder()
                           .route_network("pods", "10.10.1.0/24")
                           .pod("pod-1", "pods", "10.10.1.10", "veth1")
                           .pod("pod-3", "pods", "10.10.1.12", "veth3")
                           .build(sources);
    const auto one = IrBuilder().route_network("pods", "10.10.1.0/24").pod("pod-1", "pods", "10.10.1.10", "veth1").build(sources);
    live::State live = converged(three);
    SECTION("a foreign link") {
        live::Link dummy = foreign_link("pod-3", "dummy0", "dummy");
        live.links.push_back(dummy);
        const plan::Plan p = plan::make_plan(one, live);
        INFO(plan_listing(p));
        REQUIRE(p.conflicts.size() == 1);
        CHECK(p.conflicts[0].message == "namespace pod-3 holds foreign link dummy0; remove it or keep the pod");
        CHECK(p.conflicts[0].notes[0] == "found: dummy pod-3/dummy0, up, mtu 1500, group 0");
        CHECK_FALSE(p.conflicts[0].source.known());
    }
    SECTION("a route added by hand through the pod's interface") {
        live.routes.push_back(foreign_route("pod-3", "10.99.0.0/16", "eth0"));
        const plan::Plan p = plan::make_plan(one, live);
        INFO(plan_listing(p));
        REQUIRE(p.conflicts.size() == 1);
        // The host veth goes first and takes the pod end with the route.
        CHECK(p.conflicts[0].message ==
              "cannot delete link veth3: it would also remove foreign route 10.99.0.0/16 dev pod-3/eth0 scope link");
    }
}

TEST_CASE("deleting a bridge that has a foreign port") {
    SourceSet sources;
    const auto with_bridge = IrBuilder().bridge_network("cbr0", "10.10.1.0/24").pod("pod-1", "cbr0", "10.10.1.10", "veth1").build(sources);
    const auto none = IrBuilder().build(sources);
    live::State live = converged(with_bridge);
    live::Link port = foreign_link("", "tap0", "tun");
    port.master = "cbr0";
    live.links.push_back(port);
    const plan::Plan p = plan::make_plan(none, live);
    INFO(plan_listing(p));
    REQUIRE(p.conflicts.size() == 1);
    CHECK(p.conflicts[0].message == "cannot delete link cbr0: it would also change foreign link tap0");
}

TEST_CASE("adoption: a hand-made node that matches the file is only taken over") {
    SourceSet sources;
    IrBuilder b;
    b.bridge_network("cbr0", "10.10.1.0/24", "10.10.1.1", true)
        .pod(PodSpec{"pod-1", "cbr0", "10.10.1.10", "veth1", true})
        .route_network("pods", "10.10.2.0/24")
        .pod(PodSpec{"pod-2", "pods", "10.10.2.10", "veth2", true});
    const auto ir = b.build(sources);
    live::State live = converged(ir, LiveOptions{false, true});
    for (auto& n : live.namespaces) n.owned = false;
    for (auto& l : live.links) l.group = 0;
    for (auto& a : live.addresses) a.protocol = a.protocol == 176 ? 0 : a.protocol;
    for (auto& r : live.routes) r.protocol = r.protocol == 176 ? 3 : r.protocol;
    for (auto& n : live.neighbors) n.protocol = 0;

    const plan::Plan p = plan::make_plan(ir, live);
    INFO(plan_listing(p));
    CHECK(p.conflicts.empty());
    REQUIRE_FALSE(p.ops.empty());
    for (const auto& op : p.ops) {
        CHECK(op.reason == plan::Reason::adopt);
        CHECK(op.detail.empty());
    }
    const auto lines = step_lines(p);
    CHECK(std::count(lines.begin(), lines.end(), "register_netns pod-1") == 1);
    CHECK(std::count(lines.begin(), lines.end(), "change_link cbr0") == 1);
    CHECK(std::count(lines.begin(), lines.end(), "replace_address cbr0 10.10.1.1/24") == 1);
    CHECK(std::count(lines.begin(), lines.end(), "replace_route pod-2 0.0.0.0/0") == 1);
    CHECK(std::count(lines.begin(), lines.end(), "replace_neighbor pod-2/eth0 169.254.1.1") == 1);
    // Every object of the node is adopted: 2 namespaces, 5 links, 3 addresses, 4 routes, 1 neighbour.
    CHECK(p.ops.size() == 15);
    const auto& marker = plan::object_of<plan::LinkChange>(p.ops[2].step);
    CHECK(marker.group == 20558u);
    CHECK(check_rollback(p, live).empty());
    CHECK(check_converges(ir, p, live).empty());
}

TEST_CASE("adoption of an object that differs: adopted and changed, said in the detail") {
    SourceSet sources;
    const auto ir = IrBuilder().route_network("pods", "10.10.2.0/24").pod(PodSpec{"pod-2", "pods", "10.10.2.10", "veth2", true}).build(sources);
    live::State live = converged(ir, LiveOptions{false, true});
    for (auto& n : live.namespaces) n.owned = false;
    for (auto& l : live.links) l.group = 0;
    find_link(live, "", "veth2")->proxy_arp = false;
    const plan::Plan p = plan::make_plan(ir, live);
    INFO(plan_listing(p));
    CHECK(p.conflicts.empty());
    const auto lines = step_lines(p);
    const auto it = std::find(lines.begin(), lines.end(), "change_link veth2");
    REQUIRE(it != lines.end());
    const auto& op = p.ops[static_cast<std::size_t>(it - lines.begin())];
    CHECK(op.reason == plan::Reason::adopt);
    CHECK(op.detail == "proxy_arp off -> on");
}

TEST_CASE("adopting an object of another kind is a conflict") {
    SourceSet sources;
    const auto ir = IrBuilder().bridge_network("cbr0", "10.10.1.0/24", "", true).build(sources);
    live::State live = bare_node();
    live::Link l = foreign_link("", "cbr0", "veth");
    l.peer_netns = "";
    l.peer_name = "x";
    live.links.push_back(l);
    const plan::Plan p = plan::make_plan(ir, live);
    REQUIRE(p.conflicts.size() == 1);
    CHECK(p.conflicts[0].message == "link cbr0 exists but cannot be adopted: kind veth -> bridge");
}
