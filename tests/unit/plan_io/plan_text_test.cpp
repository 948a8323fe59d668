// The human plan: exact text for a plan with every section.
#include <catch2/catch.hpp>

#include "compiler/plan_io/plan_output.hpp"
#include "compiler/plan/planner.hpp"
#include "compiler/steps/plan_summary.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"

using namespace podnetc;
using namespace podnetc::test;

namespace {

IrBuilder routed(bool third, std::string second_address) {
    IrBuilder b;
    b.node("worker-1").route_network("pods", "10.10.1.0/24");
    b.pod("pod-1", "pods", "10.10.1.10", "veth1");
    b.pod("pod-2", "pods", second_address, "veth2");
    if (third) b.pod("pod-3", "pods", "10.10.1.12", "veth3");
    return b;
}

}  // namespace

TEST_CASE("plan text: groups by pod, drift apart, conflicts as diagnostics, a summary") {
    SourceSet old_sources;
    const live::State before = converged(routed(true, "10.10.1.11").build(old_sources));
    live::State live = before;
    find_link(live, "", "veth1")->proxy_arp = false;
    live::Route blocker;
    blocker.netns = "";
    blocker.dst = prefix("10.10.1.21/32");
    blocker.dev = "eth0";
    blocker.scope = 253;
    blocker.protocol = 3;
    live.routes.push_back(blocker);

    SourceSet sources;
    const ir::NodeIr ir = routed(false, "10.10.1.21").build(sources, "route.pnet");
    const plan::Plan p = plan::make_plan(ir, live);
    CHECK(plan::to_text(p, sources) == R"(podnetc plan: node worker-1

pod pod-2
  + address 10.10.1.21/32 dev pod-2/eth0      route.pnet:3:1
  - route 10.10.1.11/32 dev veth2 scope link
  - address 10.10.1.11/32 dev pod-2/eth0
pod pod-3
  - route 10.10.1.12/32 dev veth3 scope link
  - link veth3
  - netns pod-3

Drift: objects changed outside podnetc since the last apply
pod pod-1
  ~ link veth1: proxy_arp off -> on           route.pnet:2:1

Conflicts: objects podnetc did not create are in the way
route.pnet:3:1: error: route 10.10.1.21/32 in the host namespace exists and was not created by podnetc
   3 | pod pod-2 on pods address 10.10.1.21 host-veth veth2
     | ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
note: found: route 10.10.1.21/32 dev eth0 scope link proto boot
note: it sends 10.10.1.21/32 through eth0 instead of veth2
note: podnetc marks its routes with protocol 176
note: add `adopt` to pod pod-2 to take it over

Plan: 1 to create, 0 to change, 5 to delete, 1 drift repair.
1 conflict: this plan cannot be applied.
)");
}

TEST_CASE("plan text: creation, adoption and settings lines") {
    SourceSet sources;
    IrBuilder b;
    b.bridge_network("cbr0", "10.10.1.0/24", "10.10.1.1", true).pod("pod-1", "cbr0", "10.10.1.10", "veth1");
    const ir::NodeIr ir = b.build(sources, "bridge.pnet");
    live::State live = bare_node();
    live::Link bridge;
    bridge.netns = "";
    bridge.name = "cbr0";
    bridge.kind = "bridge";
    bridge.mtu = 1500;
    bridge.flags = 0x1;
    live.links.push_back(bridge);
    const plan::Plan p = plan::make_plan(ir, live);
    CHECK(plan::to_text(p, sources) == R"(podnetc plan

node
  = adopt link cbr0                                 bridge.pnet:1:1
  + address 10.10.1.1/24 dev cbr0                   bridge.pnet:1:1
pod pod-1
  + netns pod-1                                     bridge.pnet:2:1
  + link veth1 veth peer pod-1/eth0 master cbr0 up  bridge.pnet:2:1
  + link pod-1/eth0: up                             bridge.pnet:2:1
  + address 10.10.1.10/24 dev pod-1/eth0            bridge.pnet:2:1
  + route default via 10.10.1.1 dev pod-1/eth0      bridge.pnet:2:1

Plan: 6 to create, 0 to change, 0 to delete, 1 to adopt.
)");
    CHECK(plan::to_text(p, sources, plan::TextOptions{false, false}).find("bridge.pnet") == std::string::npos);
    const std::string colored = plan::to_text(p, sources, plan::TextOptions{true, true});
    CHECK(colored.find("\033[32m+ netns pod-1\033[0m") != std::string::npos);
    CHECK(colored.find("\033[36m= adopt link cbr0\033[0m") != std::string::npos);
    CHECK(plan::to_text(p, sources).find('\033') == std::string::npos);
}

TEST_CASE("plan text: a converged node") {
    SourceSet sources;
    const ir::NodeIr ir = routed(true, "10.10.1.11").build(sources, "examples/route.pnet");
    CHECK(plan::to_text(plan::make_plan(ir, converged(ir)), sources) ==
          "podnetc plan: node worker-1\n\nNo changes. The node matches examples/route.pnet.\n");
}

TEST_CASE("plan text: the destroy plan") {
    SourceSet sources;
    const ir::NodeIr ir = routed(false, "10.10.1.11").build(sources, "route.pnet");
    CHECK(plan::to_text(plan::make_destroy_plan(ir, converged(ir)), sources) == R"(podnetc plan: node worker-1

node
  - links of group 20558 in the host namespace
pod pod-1
  - netns pod-1                                 route.pnet:2:1
pod pod-2
  - netns pod-2                                 route.pnet:3:1

Plan: 0 to create, 0 to change, 3 to delete.
)");
}

TEST_CASE("plan text: the summary line groups thousands, as apply and destroy print it") {
    plan::Counts counts;
    counts.create = 3000;
    counts.remove = 12;
    counts.adopt = 1500;
    counts.drift = 1;
    CHECK(plan::summary_line(counts) == "Plan: 3,000 to create, 0 to change, 12 to delete, 1,500 to adopt, 1 drift repair.");
    counts.drift = 2000;
    CHECK(plan::summary_line(counts).ends_with(", 2,000 drift repairs."));
}
