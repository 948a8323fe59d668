// The host-gw backend in the planner: routes to the other nodes' pods say which
// node; the underlay device missing is a conflict at the node's `dev`; a next hop
// not on-link and forwarding off are warnings that do not stop the plan; and the
// warnings survive a saved plan.
#include <catch2/catch.hpp>

#include <algorithm>

#include "compiler/plan/planner.hpp"
#include "compiler/plan_io/plan_output.hpp"
#include "tests/unit/lower/lower_support.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"

using namespace podnetc;
using namespace podnetc::test;

namespace {

// bare_node()'s eth0 has 192.168.0.10/24: both underlay addresses are on-link.
const std::string kCluster =
    "cluster backend host-gw\n"
    "node worker-1 underlay 192.168.0.11 dev eth0 {\n"
    "  network pods mode route subnet 10.244.1.0/24\n"
    "  pod web-1 on pods address 10.244.1.10 host-veth veth1\n"
    "}\n"
    "node worker-2 underlay 192.168.0.12 dev eth0 {\n"
    "  network pods mode route subnet 10.244.2.0/24\n"
    "  network more mode bridge subnet 10.245.2.0/24 bridge br-more\n"
    "}\n";

// The same nodes without the cluster line: underlays that mean nothing more.
std::string without_cluster_line() { return kCluster.substr(kCluster.find('\n') + 1); }

live::State forwarding_node() {
    live::State live = bare_node();
    live.ip_forward = true;
    return live;
}

std::vector<std::string> messages(const std::vector<plan::Conflict>& problems) {
    std::vector<std::string> out;
    for (const plan::Conflict& c : problems) out.push_back(c.message);
    return out;
}

}  // namespace

TEST_CASE("host-gw: one route per remote pod subnet, named after its node") {
    Lowered l = lower_text(kCluster, "worker-1");
    INFO(l.messages());
    REQUIRE(l.ir);
    REQUIRE(l.ir->underlay);
    CHECK(l.ir->underlay->dev == "eth0");
    CHECK(l.sources.text(l.ir->underlay->range) == "eth0");
    std::vector<std::string> remote;
    for (const ir::Route& r : l.ir->routes) {
        if (r.remote_node.empty()) continue;
        CHECK(r.netns.empty());
        CHECK(r.protocol == 176);
        remote.push_back(r.dst.str() + " via " + r.gateway->str() + " dev " + r.dev + " " + r.remote_node);
    }
    CHECK(remote == std::vector<std::string>{"10.244.2.0/24 via 192.168.0.12 dev eth0 worker-2",
                                             "10.245.2.0/24 via 192.168.0.12 dev eth0 worker-2"});

    const plan::Plan p = plan::make_plan(*l.ir, forwarding_node());
    CHECK(p.conflicts.empty());
    CHECK(p.warnings.empty());
    const std::string text = plan::to_text(p, l.sources);
    CHECK(text.find("+ route 10.244.2.0/24 via 192.168.0.12 dev eth0 (pods of worker-2)") != std::string::npos);
    // Applied, the node converges: a fresh plan is empty.
    live::State applied = converged(*l.ir);
    applied.ip_forward = true;
    CHECK(plan::make_plan(*l.ir, applied).empty());
}

TEST_CASE("host-gw: without a cluster line the underlay adds nothing") {
    Lowered l = lower_text(without_cluster_line(), "worker-1");
    REQUIRE(l.ir);
    CHECK_FALSE(l.ir->underlay);
    CHECK(std::none_of(l.ir->routes.begin(), l.ir->routes.end(),
                       [](const ir::Route& r) { return !r.remote_node.empty(); }));
}

TEST_CASE("host-gw: the underlay device missing is a conflict at the node's dev") {
    Lowered l = lower_text(kCluster, "worker-1");
    REQUIRE(l.ir);
    const plan::Plan p = plan::make_plan(*l.ir, bare_node(false));
    REQUIRE(p.conflicts.size() == 1);
    CHECK(p.conflicts[0].message == "underlay device eth0 does not exist on node worker-1");
    CHECK(l.sources.location(p.conflicts[0].source) == "t.pnet:2:41");
    CHECK(std::none_of(p.ops.begin(), p.ops.end(), [](const plan::Op& op) {
        return op.detail.find("pods of") != std::string::npos;
    }));
}

TEST_CASE("host-gw: a next hop off-link and forwarding off are warnings") {
    Lowered l = lower_text(kCluster, "worker-1");
    REQUIRE(l.ir);
    live::State live = bare_node();  // ip_forward off
    for (live::Route& r : live.routes) {
        if (r.dev == "eth0" && !r.gateway) r.dst = ip::Prefix::parse("192.168.1.0/24", 32).value();
    }
    const plan::Plan p = plan::make_plan(*l.ir, live);
    CHECK(p.conflicts.empty());
    CHECK(messages(p.warnings) ==
          std::vector<std::string>{
              "the underlay address 192.168.0.12 of node worker-2 is not on-link on eth0",
              "IPv4 forwarding is off on node worker-1 (net.ipv4.ip_forward = 0): packets of the other nodes "
              "for the pods here are dropped"});
    CHECK(l.sources.text(p.warnings[0].source) == "10.244.2.0/24");

    live.ip_forward = true;
    live::Link* eth0 = find_link(live, "", "eth0");
    eth0->forwarding = false;
    const plan::Plan device_off = plan::make_plan(*l.ir, live);
    REQUIRE(device_off.warnings.size() == 2);
    CHECK(device_off.warnings[1].message.find("(net.ipv4.conf.eth0.forwarding = 0)") != std::string::npos);
}

TEST_CASE("host-gw: warnings are kept in a saved plan and printed as warnings") {
    Lowered l = lower_text(kCluster, "worker-1");
    REQUIRE(l.ir);
    const plan::Plan p = plan::make_plan(*l.ir, bare_node());
    REQUIRE(p.warnings.size() == 1);
    const std::string json = plan::to_json(p, l.sources);
    std::string error;
    const auto back = plan::from_json(json, l.sources, error);
    INFO(error);
    REQUIRE(back);
    CHECK(messages(back->warnings) == messages(p.warnings));
    CHECK(plan::to_json(*back, l.sources) == json);
    const std::string text = plan::to_text(*back, l.sources);
    CHECK(text.find("t.pnet:2:41: warning: IPv4 forwarding is off on node worker-1") != std::string::npos);
}

TEST_CASE("host-gw: the fingerprint covers the underlay device, not other host links") {
    Lowered l = lower_text(kCluster, "worker-1");
    REQUIRE(l.ir);
    const live::State live = forwarding_node();
    const std::string fp = plan::fingerprint(*l.ir, live);
    live::State moved = live;
    for (live::Route& r : moved.routes) {
        if (r.dev == "eth0" && !r.gateway) r.dst = ip::Prefix::parse("192.168.1.0/24", 32).value();
    }
    CHECK(plan::fingerprint(*l.ir, moved) != fp);
    Lowered plain = lower_text(without_cluster_line(), "worker-1");
    REQUIRE(plain.ir);
    CHECK(plan::fingerprint(*plain.ir, moved) == plan::fingerprint(*plain.ir, live));
}
