// The crash journal: written before anything is sent, read back exactly, progress
// marks (torn last line ignored), and crash recovery from a journal left at every
// progress mark of multi-namespace plans.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "compiler/live/live_state_json.hpp"
#include "compiler/live/live_state_sort.hpp"
#include "compiler/plan_io/plan_output.hpp"
#include "compiler/plan/planner.hpp"
#include "runtime/apply/applier.hpp"
#include "runtime/apply/journal.hpp"
#include "runtime/apply/recovery.hpp"
#include "runtime/apply/state_compare.hpp"
#include "tests/unit/apply/fake_transport.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"
#include "tests/unit/support/temp_dir.hpp"

namespace podnetc {
namespace {

using test::FakeTransport;

struct Node {
    SourceSet sources;
    ir::NodeIr desired;
    live::State before;
    plan::Plan plan;
};

live::State kernel_like(live::State state) {
    std::map<std::string, std::int32_t> next;
    for (live::Link& link : state.links) {
        link.ifindex = link.name == "lo" ? 1 : next.emplace(link.netns, 2).first->second++;
    }
    return state;
}

enum class Start { scratch, podnetc_namespaces, ip_netns_add_namespaces };

// Three routed pods and a bridged one, changed: one pod goes, one pod's address
// changes. The old pods' namespaces as podnetc creates them (lo up), or as `ip
// netns add` does (lo down): recovery re-creates the deleted one exactly.
void make_node(Node& node, Start start) {
    test::IrBuilder old_file;
    old_file.route_network("pods", "10.10.1.0/24");
    for (int i = 1; i <= 3; ++i) old_file.pod(fmt::format("pod-{}", i), "pods", fmt::format("10.10.1.{}", 9 + i), fmt::format("veth{}", i));
    test::IrBuilder new_file;
    new_file.route_network("pods", "10.10.1.0/24");
    new_file.pod("pod-1", "pods", "10.10.1.40", "veth1").pod("pod-2", "pods", "10.10.1.11", "veth2");
    new_file.bridge_network("cbr0", "10.10.2.0/24", "10.10.2.1").pod("web-1", "cbr0", "10.10.2.10", "vweb1");
    node.desired = new_file.build(node.sources);
    const ir::NodeIr old_ir = old_file.build(node.sources);
    node.before = start == Start::scratch
                      ? test::bare_node()
                      : kernel_like(test::converged(
                            old_ir, test::LiveOptions{.pod_lo_up = start == Start::podnetc_namespaces}));
    node.plan = plan::make_plan(node.desired, node.before);
}

struct SimulatedCrash : std::runtime_error {
    SimulatedCrash() : std::runtime_error("killed") {}
};

TEST_CASE("the journal reads back what was written", "[journal]") {
    Node node;
    make_node(node, Start::podnetc_namespaces);
    test::TempDir dir;
    const rt::JournalInfo info{"apply topo.pnet --node worker-1", "worker-1", 4242, 1764108184};
    {
        auto writer = rt::JournalWriter::begin(dir.path, info, node.before, node.plan, node.sources);
        REQUIRE(writer);
        REQUIRE(writer->mark_sending(0, 3));
        REQUIRE(writer->mark_sending(3, 9));
    }
    SourceSet sources;
    auto journal = rt::read_journal(dir.path, sources);
    REQUIRE(journal);
    REQUIRE(*journal);
    const rt::Journal& j = **journal;
    CHECK(j.info.command == info.command);
    CHECK(j.info.node == "worker-1");
    CHECK(j.info.pid == 4242);
    CHECK(j.info.started == 1764108184);
    live::State expected = node.before;
    live::sort_state(expected);
    CHECK(live::to_json(j.before) == live::to_json(expected));
    CHECK(plan::to_json(j.plan, sources) == plan::to_json(node.plan, node.sources));
    CHECK(j.sent_end == 9);
    CHECK(!j.rollback_started);

    SECTION("a torn last mark was never acted upon") {
        std::ofstream(dir.path + "/journal.progress", std::ios::app) << "sending 9 1";
        SourceSet again;
        CHECK((**rt::read_journal(dir.path, again)).sent_end == 9);
    }
    SECTION("a rollback mark is noticed") {
        std::ofstream(dir.path + "/journal.progress", std::ios::app) << "rollback\n";
        SourceSet again;
        CHECK((**rt::read_journal(dir.path, again)).rollback_started);
    }
    SECTION("removing it ends the transaction; a progress file alone is stale") {
        REQUIRE(rt::remove_journal(dir.path));
        SourceSet again;
        CHECK(!*rt::read_journal(dir.path, again));
        std::ofstream(dir.path + "/journal.progress") << "sending 0 5\n";
        CHECK(!*rt::read_journal(dir.path, again));
        // A new journal starts without the stale marks.
        auto writer = rt::JournalWriter::begin(dir.path, info, node.before, node.plan, node.sources);
        REQUIRE(writer);
        CHECK((**rt::read_journal(dir.path, again)).sent_end == 0);
    }
    SECTION("set aside, it is kept for inspection and no longer pending") {
        REQUIRE(rt::set_journal_aside(dir.path));
        SourceSet again;
        CHECK(!*rt::read_journal(dir.path, again));
        CHECK(access((dir.path + "/journal.incomplete.json").c_str(), F_OK) == 0);
    }
}

// Journals written before the journal had one writer embedded the snapshot and the
// plan without re-indenting them; a podnetc killed then is still recovered.
TEST_CASE("a journal in the old layout reads back", "[journal]") {
    Node node;
    make_node(node, Start::podnetc_namespaces);
    test::TempDir dir;
    auto unterminated = [](std::string text) {
        text.pop_back();
        return text;
    };
    const std::string old_layout = fmt::format(
        "{{\n  \"format\": \"podnetc-journal/1\",\n  \"command\": \"apply topo.pnet\",\n  \"node\": \"\",\n"
        "  \"pid\": 4242,\n  \"started\": 1764108184,\n  \"before\": {},\n  \"plan\": {}\n}}\n",
        unterminated(live::to_json(node.before)), unterminated(plan::to_json(node.plan, node.sources)));
    std::ofstream(dir.path + "/journal.json") << old_layout;
    SourceSet sources;
    auto journal = rt::read_journal(dir.path, sources);
    REQUIRE(journal);
    REQUIRE(*journal);
    CHECK((**journal).info.pid == 4242);
    CHECK(live::to_json((**journal).before) == live::to_json(node.before));
    CHECK(plan::to_json((**journal).plan, sources) == plan::to_json(node.plan, node.sources));
}

TEST_CASE("a damaged journal is an error that names the file", "[journal]") {
    test::TempDir dir;
    std::ofstream(dir.path + "/journal.json") << "{\"format\": \"podnetc-journal/1\", \"command\": 1}";
    SourceSet sources;
    auto journal = rt::read_journal(dir.path, sources);
    REQUIRE(!journal);
    CHECK(journal.error().message.starts_with(dir.path + "/journal.json: "));
}

TEST_CASE("a run killed after any batch is rolled back from its journal", "[journal][recovery]") {
    for (const Start start : {Start::scratch, Start::podnetc_namespaces, Start::ip_netns_add_namespaces}) {
        Node node;
        make_node(node, start);
        REQUIRE(node.plan.conflicts.empty());
        std::size_t crashes = 0;
        for (std::size_t kill_at = 0;; ++kill_at) {
            INFO((start == Start::scratch              ? "from scratch"
                  : start == Start::podnetc_namespaces ? "changes"
                                                       : "changes, namespaces made by ip netns add")
                 << ", killed after send " << kill_at);
            FakeTransport fake(node.before);
            test::TempDir dir;
            {
                auto writer = rt::JournalWriter::begin(dir.path, rt::JournalInfo{"apply t.pnet", "", 1, 0},
                                                       node.before, node.plan, node.sources);
                REQUIRE(writer);
                rt::ApplyOptions options;
                std::size_t sends = 0;
                options.after_send = [&](std::size_t, std::size_t) {
                    if (sends++ == kill_at) throw SimulatedCrash();
                };
                try {
                    const auto result = rt::apply_plan(node.plan, node.before, fake, *writer, options);
                    CHECK(result.outcome == rt::ApplyOutcome::applied);
                    break;  // killed after every send there is
                } catch (const SimulatedCrash&) {
                    ++crashes;
                }
            }
            SourceSet sources;
            auto journal = rt::read_journal(dir.path, sources);
            REQUIRE(journal);
            REQUIRE(*journal);
            CHECK((**journal).sent_end > 0);
            const rt::RestoreReport report = rt::recover(**journal, fake);
            for (const rt::UndoProblem& p : report.problems) FAIL_CHECK(test::step_line(p.step) << ": " << p.error);
            for (const std::string& d : report.differences) FAIL_CHECK(d);
            CHECK(report.restored());
            CHECK(rt::state_differences(node.before, fake.state()).empty());

            // Recovering twice (killed during recovery) changes nothing more.
            const rt::RestoreReport again = rt::recover(**journal, fake);
            CHECK(again.restored());
            CHECK(again.problems.empty());
        }
        CHECK(crashes >= 5);
    }
}

}  // namespace
}  // namespace podnetc
