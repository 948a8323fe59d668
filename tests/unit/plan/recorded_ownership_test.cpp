// An owned address rewritten by hand with podnetc's values (`ip addr replace`: the
// marker is gone) is still podnetc's by the applied record: deleted when the file no
// longer declares it, not foreign when its namespace goes (hostile-history seeds
// 4078599005, 293276523). With other values it is someone else's.
#include <catch2/catch.hpp>

#include <algorithm>

#include "compiler/plan/planner.hpp"
#include "compiler/plan/recorded_ownership.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"

namespace podnetc {
namespace {

test::IrBuilder pod_at(const std::string& address) {
    test::IrBuilder b;
    b.route_network("pods", "10.10.1.0/24");
    b.pod("pod-1", "pods", address, "veth1");
    return b;
}

// pod-1 applied at 10.10.1.10, its address then rewritten by hand (prefix length `len`).
live::State rewritten_node(SourceSet& sources, std::uint8_t len = 32) {
    const ir::NodeIr applied = pod_at("10.10.1.10").build(sources);
    live::State live = test::converged(applied);
    live.last_applied = plan::applied_record(applied);
    for (live::Address& a : live.addresses) {
        if (a.netns == "pod-1" && a.local.addr.str() == "10.10.1.10") {
            a.protocol = 0;
            a.local.len = len;
        }
    }
    return live;
}

bool has_line(const std::vector<std::string>& lines, const std::string& text) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(text) != std::string::npos; });
}

TEST_CASE("an address rewritten with podnetc's values is podnetc's by the record", "[plan]") {
    SourceSet sources;
    const live::State live = rewritten_node(sources);
    const auto it = std::find_if(live.addresses.begin(), live.addresses.end(),
                                 [](const live::Address& a) { return a.netns == "pod-1" && a.protocol == 0 && a.dev == "eth0"; });
    REQUIRE(it != live.addresses.end());
    CHECK(plan::ours(*it, live.last_applied));
    CHECK_FALSE(plan::ours(*it, std::nullopt));

    const plan::Plan moved = plan::make_plan(pod_at("10.10.1.40").build(sources), live);
    CHECK(moved.conflicts.empty());
    CHECK(has_line(test::step_lines(moved), "delete_address pod-1/eth0 10.10.1.10/32"));

    const plan::Plan destroy = plan::make_destroy_plan(pod_at("10.10.1.10").build(sources), live);
    CHECK(destroy.conflicts.empty());
}

TEST_CASE("an unmarked address with other values than recorded is someone else's", "[plan]") {
    SourceSet sources;
    const live::State live = rewritten_node(sources, 24);
    const auto it = std::find_if(live.addresses.begin(), live.addresses.end(),
                                 [](const live::Address& a) { return a.netns == "pod-1" && a.protocol == 0 && a.dev == "eth0"; });
    REQUIRE(it != live.addresses.end());
    CHECK_FALSE(plan::ours(*it, live.last_applied));
    const plan::Plan destroy = plan::make_destroy_plan(pod_at("10.10.1.10").build(sources), live);
    CHECK_FALSE(destroy.conflicts.empty());
}

}  // namespace
}  // namespace podnetc
