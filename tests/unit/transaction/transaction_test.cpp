// The transaction on a fake transport over the in-memory kernel: what is on disk
// when it ends (the journal committed and the record written; on a failure the
// record untouched), a stop signal that arrives meanwhile is reported instead of
// ending the process, and a journal left behind is recovered.
#include <catch2/catch.hpp>

#include <csignal>
#include <memory>

#include <unistd.h>

#include "compiler/plan/planner.hpp"
#include "runtime/apply/journal.hpp"
#include "runtime/apply/state_compare.hpp"
#include "runtime/state/applied_record_store.hpp"
#include "runtime/transaction/pending_recovery.hpp"
#include "runtime/transaction/transaction.hpp"
#include "tests/unit/apply/fake_transport.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"
#include "tests/unit/support/temp_dir.hpp"

namespace podnetc {
namespace {

struct Node {
    test::TempDir dir;
    SourceSet sources;
    ir::NodeIr desired;
    live::State before = test::bare_node();
    plan::Plan plan;
    test::FakeTransport* kernel = nullptr;  // owned by session
    std::optional<rt::Session> session;

    Node() {
        test::IrBuilder b;
        b.route_network("pods", "10.10.1.0/24").pod("pod-1", "pods", "10.10.1.10", "veth1");
        desired = b.build(sources);
        plan = plan::make_plan(desired, before);
        auto lock = rt::acquire_node_lock(dir.path, std::chrono::milliseconds(0));
        REQUIRE(lock);
        auto transport = std::make_unique<test::FakeTransport>(before);
        kernel = transport.get();
        session.emplace(rt::Session{dir.path, std::move(*lock), std::move(transport)});
    }

    rt::TransactionRequest request() const {
        rt::TransactionRequest r;
        r.command = "apply test.pnet";
        r.node = "n1";
        r.plan = &plan;
        r.before = &before;
        r.sources = &sources;
        r.record = plan::applied_record(desired);
        return r;
    }

    bool journal_there() const { return ::access((dir.path + "/journal.json").c_str(), F_OK) == 0; }
    std::optional<rt::AppliedRecord> record() const {
        auto loaded = rt::load_applied_record(dir.path, "n1");
        REQUIRE(loaded);
        return *loaded;
    }
};

TEST_CASE("a transaction that went through is committed, then recorded", "[transaction]") {
    Node node;
    const rt::TransactionOutcome outcome = rt::run_transaction(*node.session, node.request());
    CHECK(outcome.status == rt::TransactionStatus::committed);
    CHECK(outcome.warnings.empty());
    CHECK(!outcome.signal);
    CHECK(!node.journal_there());
    CHECK(node.record() == plan::applied_record(node.desired));
    CHECK(plan::make_plan(node.desired, node.kernel->state()).ops.empty());
}

TEST_CASE("a destroy removes the record once committed", "[transaction]") {
    Node node;
    REQUIRE(rt::store_applied_record(node.dir.path, "n1", {{"netns pod-1", "old"}}));
    rt::TransactionRequest request = node.request();
    request.record = std::nullopt;
    CHECK(rt::run_transaction(*node.session, request).status == rt::TransactionStatus::committed);
    CHECK(!node.record());
}

TEST_CASE("a transaction that was rolled back leaves the record as it was", "[transaction]") {
    Node node;
    const rt::AppliedRecord old{{"netns pod-0", "created by an earlier apply"}};
    REQUIRE(rt::store_applied_record(node.dir.path, "n1", old));
    rt::TransactionRequest request = node.request();
    request.faults.fail_at = node.plan.ops.size() - 1;
    const rt::TransactionOutcome outcome = rt::run_transaction(*node.session, request);
    CHECK(outcome.status == rt::TransactionStatus::rolled_back);
    CHECK(outcome.ending.restored);
    CHECK(!outcome.ending.journal_error);
    CHECK(!node.journal_there());
    CHECK(node.record() == old);
    CHECK(rt::state_differences(node.before, node.kernel->state()).empty());
}

TEST_CASE("a stop signal during a transaction is held, then reported, not delivered", "[transaction]") {
    Node node;
    rt::TransactionRequest request = node.request();
    request.verify = [](const live::State&) -> rt::Result<std::vector<std::string>> {
        std::raise(SIGTERM);  // would end the test run if it were delivered
        return std::vector<std::string>{};
    };
    const rt::TransactionOutcome outcome = rt::run_transaction(*node.session, request);
    CHECK(outcome.status == rt::TransactionStatus::committed);
    CHECK(outcome.signal == SIGTERM);
    CHECK(node.record() == plan::applied_record(node.desired));
    sigset_t pending;
    sigpending(&pending);
    CHECK(sigismember(&pending, SIGTERM) == 0);
}

TEST_CASE("a journal left behind is undone by the next session", "[transaction]") {
    Node node;
    // A killed apply: journaled, every operation sent, never committed.
    auto journal = rt::JournalWriter::begin(node.dir.path, rt::JournalInfo{"apply test.pnet", "n1", 1, 0},
                                            node.before, node.plan, node.sources);
    REQUIRE(journal);
    rt::ApplyOptions options;
    REQUIRE(rt::apply_plan(node.plan, node.before, *node.kernel, *journal, options).outcome ==
            rt::ApplyOutcome::applied);

    std::size_t announced = 0;
    auto recovery = rt::recover_pending(*node.session, [&](const rt::Journal& j) { announced = j.sent_end; });
    REQUIRE(recovery);
    REQUIRE(recovery->journal);
    CHECK(announced == node.plan.ops.size());
    CHECK(recovery->report.restored());
    CHECK(recovery->ending.restored);
    CHECK(!node.journal_there());
    CHECK(rt::state_differences(node.before, node.kernel->state()).empty());

    auto again = rt::recover_pending(*node.session, {});
    REQUIRE(again);
    CHECK(!again->journal);
}

}  // namespace
}  // namespace podnetc
