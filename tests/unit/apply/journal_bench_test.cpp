// Not a check but a measurement, hidden from the default run:
//   build/tests/podnetc_unit_tests '[.bench]'
// The journal of destroying a 500-pod routed node: the state before (every pod's
// namespace, veths, addresses and routes) and a plan whose inverses re-create all
// of it. Prints its size and the median time of writing and reading it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

#include <fmt/format.h>

#include "compiler/live/live_state_json.hpp"
#include "compiler/plan/planner.hpp"
#include "compiler/plan_io/plan_output.hpp"
#include "runtime/apply/journal.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"
#include "tests/unit/support/temp_dir.hpp"

namespace podnetc {
namespace {

// After one run that is not counted: the first run of each also pays for the
// allocator growing the heap.
double median_ms(int runs, const std::function<void()>& work) {
    work();
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const auto start = std::chrono::steady_clock::now();
        work();
        times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

TEST_CASE("journal of a 500-pod destroy: size and time", "[.bench]") {
    constexpr int kPods = 500;
    SourceSet sources;
    test::IrBuilder file;
    file.route_network("pods", "10.64.0.0/16");
    for (int i = 1; i <= kPods; ++i) {
        file.pod(fmt::format("pod-{}", i), "pods", fmt::format("10.64.{}.{}", i / 250, i % 250 + 2), fmt::format("veth{}", i));
    }
    const ir::NodeIr ir = file.build(sources);
    const live::State before = test::converged(ir);
    const plan::Plan plan = plan::make_destroy_plan(ir, before);
    const rt::JournalInfo info{"destroy pods.pnet", "", 4242, 1764108184};
    test::TempDir dir;

    std::size_t bytes = 0;
    const double text_ms = median_ms(7, [&] { bytes = rt::journal_text(info, before, plan, sources).size(); });
    const double begin_ms = median_ms(7, [&] { REQUIRE(rt::JournalWriter::begin(dir.path, info, before, plan, sources)); });
    const double read_ms = median_ms(7, [&] {
        SourceSet read_sources;
        REQUIRE(*rt::read_journal(dir.path, read_sources));
    });
    const double state_ms = median_ms(7, [&] { CHECK(!live::to_json(before).empty()); });
    const double plan_ms = median_ms(7, [&] { CHECK(!plan::to_json(plan, sources).empty()); });
    fmt::print("the snapshot alone {:.1f} ms ({} bytes), the plan alone {:.1f} ms ({} bytes)\n", state_ms,
               live::to_json(before).size(), plan_ms, plan::to_json(plan, sources).size());
    fmt::print("journal of {} ops for {} pods: {} bytes; text {:.1f} ms, begin (text + durable write) {:.1f} ms, "
               "read {:.1f} ms\n",
               plan.ops.size(), kPods, bytes, text_ms, begin_ms, read_ms);
    CHECK(bytes > 0);
}

}  // namespace
}  // namespace podnetc
