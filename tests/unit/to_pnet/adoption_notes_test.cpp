// The notes of `show --as pnet` are what the plan of the written file says: each
// test lowers and plans the produced text itself, against the state it was read
// from, and compares the plan's operations with the notes.
#include <catch2/catch.hpp>

#include <algorithm>

#include <fmt/format.h>

#include "compiler/base/diagnostics.hpp"
#include "compiler/base/source.hpp"
#include "compiler/objects/kernel_values.hpp"
#include "compiler/lower/lower.hpp"
#include "compiler/plan/planner.hpp"
#include "compiler/steps/plan_describe.hpp"
#include "compiler/syntax/frontend.hpp"
#include "compiler/to_pnet/live_to_pnet.hpp"
#include "compiler/to_pnet/plan_notes.hpp"
#include "tests/unit/live/live_fixtures.hpp"

using namespace podnetc;
using namespace podnetc::fixtures;

namespace {

plan::Plan plan_of(const std::string& pnet, const live::State& state) {
    SourceSet sources;
    Diagnostics diagnostics;
    const ast::File file = parse_pnet(sources, sources.add("adopted.pnet", pnet), diagnostics);
    const auto ir = lower(file, LowerOptions{}, diagnostics);
    INFO(render_all(sources, diagnostics));
    REQUIRE(diagnostics.empty());
    REQUIRE(ir.has_value());
    return plan::make_plan(*ir, state);
}

bool plain_takeover(const plan::Op& op) { return op.reason == plan::Reason::adopt && op.detail.empty(); }

// The operations that are more than a takeover: "REASON ACTION | DETAIL".
std::vector<std::string> changes(const plan::Plan& plan) {
    std::vector<std::string> out;
    for (const plan::Op& op : plan.ops) {
        if (plain_takeover(op)) continue;
        out.push_back(fmt::format("{} {}{}", plan::reason_name(op.reason), plan::describe_action(op.step),
                                  op.detail.empty() ? "" : " | " + op.detail));
    }
    return out;
}

// The article's routed experiment, but with the pods' default route typed as
// `ip route add default via 169.254.1.1 dev eth0 onlink` and no route to the gateway.
live::State routed_by_hand_onlink() {
    live::State s = article_route_by_hand();
    std::erase_if(s.routes, [](const live::Route& r) { return r.dst.len == 32 && r.netns != ""; });
    for (live::Route& r : s.routes) {
        if (r.dst.len == 0) r.flags |= kernel::kOnlink;
    }
    return s;
}

}  // namespace

TEST_CASE("adoption notes: a routed node with an onlink default route, as its plan says", "[pnet]") {
    const live::State state = routed_by_hand_onlink();
    const live::AdoptingPnet pnet = live::adopting_pnet(state);
    CHECK_THAT(pnet.text, Catch::Contains("pod pod-1 adopt on pods address 10.10.1.10/32 host-veth veth1 host-mac "
                                          "76:95:29:9c:7d:26\n"));
    const plan::Plan plan = plan_of(pnet.text, state);
    CHECK(plan.conflicts.empty());
    CHECK(changes(plan) == std::vector<std::string>{
                               "differs set proxy_delay 0 on link veth1 | proxy_delay 800 -> 0",
                               "differs set proxy_delay 0 on link veth2 | proxy_delay 800 -> 0",
                               "missing add route 169.254.1.1/32 dev pod-1/eth0 scope link",
                               "adopt replace route default via 169.254.1.1 dev pod-1/eth0 | onlink on -> off",
                               "missing add neighbor 169.254.1.1 lladdr 76:95:29:9c:7d:26 dev pod-1/eth0",
                               "missing add route 169.254.1.1/32 dev pod-2/eth0 scope link",
                               "adopt replace route default via 169.254.1.1 dev pod-2/eth0 | onlink on -> off",
                               "missing add neighbor 169.254.1.1 lladdr 3e:1e:85:73:de:78 dev pod-2/eth0",
                           });
    // One note per operation that is more than a takeover, in plan order.
    CHECK(pnet.notes == std::vector<std::string>{
                            "host: ARP proxy_delay of veth1 is 800 ms; the plan will set 0",
                            "host: ARP proxy_delay of veth2 is 800 ms; the plan will set 0",
                            "pod-1: route 169.254.1.1/32 dev eth0 is missing; the plan will add it",
                            "pod-1: route default via 169.254.1.1 dev eth0: onlink on -> off; the plan adopts it "
                            "and changes that",
                            "pod-1: permanent neighbour 169.254.1.1 lladdr 76:95:29:9c:7d:26 on eth0 is missing; "
                            "the plan will add it",
                            "pod-2: route 169.254.1.1/32 dev eth0 is missing; the plan will add it",
                            "pod-2: route default via 169.254.1.1 dev eth0: onlink on -> off; the plan adopts it "
                            "and changes that",
                            "pod-2: permanent neighbour 169.254.1.1 lladdr 3e:1e:85:73:de:78 on eth0 is missing; "
                            "the plan will add it",
                        });
    // The default route is adopted (the plan counts it as a takeover), not replaced as a change.
    for (const plan::Op& op : plan.ops) {
        if (op.step.kind() == plan::StepKind::replace_route) CHECK(op.reason == plan::Reason::adopt);
    }
    CHECK(std::none_of(pnet.notes.begin(), pnet.notes.end(), [](const std::string& note) {
        return note.find("replace") != std::string::npos;
    }));
}

TEST_CASE("adoption notes: with the route to the gateway in place, the same default route", "[pnet]") {
    live::State state = article_route_by_hand();
    for (live::Route& r : state.routes) {
        if (r.dst.len == 0) r.flags |= kernel::kOnlink;
    }
    const live::AdoptingPnet pnet = live::adopting_pnet(state);
    const plan::Plan plan = plan_of(pnet.text, state);
    CHECK(changes(plan).size() == pnet.notes.size());
    CHECK(std::count(pnet.notes.begin(), pnet.notes.end(),
                     "pod-1: route default via 169.254.1.1 dev eth0: onlink on -> off; the plan adopts it and changes "
                     "that") == 1);
    CHECK(std::none_of(pnet.notes.begin(), pnet.notes.end(), [](const std::string& note) {
        return note.find("169.254.1.1/32") != std::string::npos;  // adopted as it is
    }));
}

TEST_CASE("adoption notes: a file that does not lower says why, and makes no plan", "[pnet]") {
    // Pods at .10 and .20 routed via .15: no subnet of theirs leaves the gateway out.
    live::State state = article_route_by_hand();
    for (live::Address& a : state.addresses) {
        if (a.netns == "pod-2") a.local = *ip::Prefix::parse("10.10.1.20/32");
    }
    for (live::Route& r : state.routes) {
        if (r.netns == "" && r.dev == "veth2") r.dst = *ip::Prefix::parse("10.10.1.20/32");
        if (r.gateway) r.gateway = ip::Address::parse_v4("10.10.1.15");
        if (r.dst == *ip::Prefix::parse("169.254.1.1/32")) r.dst = *ip::Prefix::parse("10.10.1.15/32");
    }
    const live::AdoptingPnet pnet = live::adopting_pnet(state);
    CHECK_THAT(pnet.text, Catch::Contains("network pods mode route subnet 10.10.1.0/27 gateway 10.10.1.15\n"));
    REQUIRE(pnet.notes.size() >= 2);
    CHECK_THAT(pnet.notes.front(), Catch::StartsWith("check: error: "));
    CHECK(pnet.notes.back() == "check: the file does not lower, so no plan was made against this node");
}

TEST_CASE("adoption notes: drift, deletions and conflicts read as the plan has them", "[pnet]") {
    kernel::Route route;
    route.netns = "pod-1";
    route.dst = *ip::Prefix::parse("10.20.0.0/16");
    route.dev = "eth0";
    plan::Op undeclared;
    undeclared.step = plan::DeleteRoute{route};
    undeclared.reason = plan::Reason::undeclared;
    plan::LinkChange mtu;
    mtu.name = "veth1";
    mtu.mtu = 1500;
    plan::Op drift;
    drift.step = plan::ChangeLink{mtu};
    drift.reason = plan::Reason::drift;
    drift.detail = "mtu 1400 -> 1500";
    plan::Conflict conflict;
    conflict.message = "namespace pod-3 exists and was not created by podnetc";
    plan::Plan plan;
    plan.ops = {undeclared, drift};
    plan.conflicts = {conflict};
    CHECK(live::plan_notes(plan, live::State{}) ==
          std::vector<std::string>{
              "pod-1: route 10.20.0.0/16 dev eth0 carries podnetc's marker but is not in the file; the plan would "
              "delete it",
              "host: link veth1: mtu 1400 -> 1500 (changed outside podnetc since the last apply); the plan will change it",
              "conflict: namespace pod-3 exists and was not created by podnetc; the plan cannot be applied",
          });
}
