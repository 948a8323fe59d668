// The applier on a fake transport over the in-memory kernel: a failure at every
// operation of multi-namespace plans is undone exactly (the confirmed operations,
// last first, and nothing else), including requests after the failed one in the
// same sendmsg; lost acknowledgements; a verification that finds the node not
// converged; an undo that cannot restore everything.
#include <catch2/catch.hpp>

#include <cerrno>
#include <map>

#include <fmt/format.h>

#include "compiler/plan/planner.hpp"
#include "runtime/apply/applier.hpp"
#include "runtime/netlink/netlink_encode.hpp"
#include "runtime/apply/state_compare.hpp"
#include "tests/unit/apply/fake_transport.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"
#include "tests/unit/support/temp_dir.hpp"

namespace podnetc {
namespace {

using rt::ApplyOutcome;
using rt::StepStatus;
using test::FakeTransport;

struct Scenario {
    std::string name;
    ir::NodeIr desired;
    live::State before;
    bool destroy = false;
};

test::IrBuilder routed(int pods, int changed = 0, std::string address = "") {
    test::IrBuilder b;
    b.route_network("pods", "10.10.1.0/24");
    for (int i = 1; i <= pods; ++i) {
        b.pod(fmt::format("pod-{}", i), "pods", i == changed ? address : fmt::format("10.10.1.{}", 9 + i),
              fmt::format("veth{}", i));
    }
    return b;
}

test::IrBuilder bridged(int pods) {
    test::IrBuilder b;
    b.bridge_network("cbr0", "10.10.2.0/24", "10.10.2.1");
    for (int i = 1; i <= pods; ++i) {
        b.pod(fmt::format("web-{}", i), "cbr0", fmt::format("10.10.2.{}", 9 + i), fmt::format("vweb{}", i));
    }
    return b;
}

// plan_fixtures' states number links across namespaces with one counter and give
// the host's lo a second index; a kernel numbers per namespace, lo is 1.
live::State kernel_like(live::State state) {
    std::map<std::string, std::int32_t> next;
    for (live::Link& link : state.links) {
        if (link.name == "lo") {
            link.ifindex = 1;
            continue;
        }
        auto [it, added] = next.emplace(link.netns, 2);
        link.ifindex = it->second++;
    }
    return state;
}

std::vector<Scenario> scenarios(SourceSet& sources) {
    std::vector<Scenario> all;
    // Several namespaces, a bridge, route and bridge mode side by side.
    test::IrBuilder mixed = routed(3);
    mixed.bridge_network("cbr0", "10.10.2.0/24", "10.10.2.1").pod("web-1", "cbr0", "10.10.2.10", "vweb1");
    all.push_back({"from scratch", mixed.build(sources), test::bare_node()});
    all.push_back({"a pod removed, an address changed", routed(2, 1, "10.10.1.40").build(sources),
                   kernel_like(test::converged(routed(3).build(sources)))});
    const ir::NodeIr bridge = bridged(2).build(sources);
    all.push_back({"destroy", bridge, kernel_like(test::converged(bridge)), true});
    // Namespaces made by `ip netns add` (lo down, no address): re-created, each gets
    // its lo set back down, without the 127.0.0.1/8 the kernel gave it on the way.
    all.push_back({"destroy, namespaces made by ip netns add", bridge,
                   kernel_like(test::converged(bridge, test::LiveOptions{.pod_lo_up = false})), true});
    // lo changed by hand: the undo sets a re-created lo's addresses back by its index.
    live::State by_hand = kernel_like(test::converged(bridge));
    test::set_loopback(by_hand, "web-1", true, {});
    test::set_loopback(by_hand, "web-2", false, {test::loopback_address("web-2", "127.0.0.1/8", 254, 1)});
    all.push_back({"destroy, lo changed by hand", bridge, by_hand, true});
    return all;
}

plan::Plan plan_for(const Scenario& s) {
    return s.destroy ? plan::make_destroy_plan(s.desired, s.before) : plan::make_plan(s.desired, s.before);
}

rt::JournalWriter journal_in(const test::TempDir& dir, const live::State& before, const plan::Plan& plan,
                             const SourceSet& sources) {
    auto journal = rt::JournalWriter::begin(dir.path, rt::JournalInfo{"apply test.pnet", "", 1, 0}, before, plan, sources);
    REQUIRE(journal);
    return std::move(*journal);
}

// What the kernel processed after the apply's own requests: the undo.
std::vector<std::string> undo_part(const FakeTransport& fake, const rt::ApplyResult& result) {
    std::vector<std::string> lines;
    const std::size_t forward = result.stats.requests + result.stats.namespace_steps;
    for (std::size_t i = forward; i < fake.processed().size(); ++i) lines.push_back(fake.processed()[i].step);
    return lines;
}

// The inverses of the confirmed operations, last first; a run of two or more
// single-link deletions in one namespace goes as "move each into group 20559,
// delete that group" (one RCU grace period instead of one per link).
std::vector<std::string> expected_undo(const plan::Plan& plan, const rt::ApplyResult& result) {
    // Also a refused deletion followed by confirmed operations (applier.cpp: one of
    // them may have deleted its object as a side effect).
    std::vector<const plan::Step*> steps;
    bool later_done = false;
    for (std::size_t i = result.outcomes.size(); i-- > 0;) {
        const bool deletion = plan::is_kernel_deletion(plan.ops[i].step.kind());
        if (result.outcomes[i].status == StepStatus::done) {
            later_done = true;
        } else if (!(result.outcomes[i].status == StepStatus::failed && later_done && deletion)) {
            continue;
        }
        for (const plan::Step& step : plan.ops[i].inverse) steps.push_back(&step);
    }
    const auto single_delete = [](const plan::Step* s) {
        const auto* d = std::get_if<plan::DeleteLink>(&s->typed());
        return d != nullptr && !d->object.group ? &d->object : nullptr;
    };
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < steps.size();) {
        std::size_t end = i + 1;
        if (const auto* first = single_delete(steps[i])) {
            while (end < steps.size() && single_delete(steps[end]) && single_delete(steps[end])->netns == first->netns) ++end;
        }
        if (end - i < 2) {
            lines.push_back(test::step_line(*steps[i++]));
            continue;
        }
        for (std::size_t j = i; j < end; ++j) {
            lines.push_back("change_link " + test::step_line(*steps[j]).substr(std::string("delete_link ").size()));
        }
        lines.push_back(fmt::format("delete_link group 20559 in '{}'", single_delete(steps[i])->netns));
        i = end;
    }
    return lines;
}

TEST_CASE("a failure at any operation undoes exactly the confirmed operations, last first", "[apply]") {
    SourceSet sources;
    for (const Scenario& s : scenarios(sources)) {
        const plan::Plan plan = plan_for(s);
        REQUIRE(plan.conflicts.empty());
        REQUIRE(plan.ops.size() > 2);
        for (std::size_t k = 0; k < plan.ops.size(); ++k) {
            INFO(s.name << ", operation " << k << ": " << test::step_line(plan.ops[k].step));
            FakeTransport fake(s.before);
            test::TempDir dir;
            rt::JournalWriter journal = journal_in(dir, s.before, plan, sources);
            rt::ApplyOptions options;
            options.fail_at = k;
            const rt::ApplyResult result = rt::apply_plan(plan, s.before, fake, journal, options);

            REQUIRE(result.failure);
            CHECK(result.failure->kind == rt::ApplyFailure::Kind::refused);
            CHECK(result.failure->op == k);
            CHECK(result.outcomes[k].status == StepStatus::failed);
            // Nothing after the batch that failed was sent.
            for (std::size_t i = k + 1; i < plan.ops.size(); ++i) {
                if (plan.ops[i].step.netns() != plan.ops[k].step.netns() || !result.outcomes[i].sent) {
                    CHECK(result.outcomes[i].status != StepStatus::done);
                }
            }
            CHECK(undo_part(fake, result) == expected_undo(plan, result));
            REQUIRE(result.restore);
            for (const rt::UndoProblem& p : result.restore->problems) {
                FAIL_CHECK(test::step_line(p.step) << ": " << p.error << " " << p.message);
            }
            for (const std::string& d : rt::state_differences(s.before, fake.state())) FAIL_CHECK(d);
            CHECK(rt::state_differences(s.before, fake.state()).empty());
            CHECK(result.outcome == ApplyOutcome::rolled_back);
        }
    }
}

TEST_CASE("without a failure the node converges: a fresh plan is empty", "[apply]") {
    SourceSet sources;
    for (const Scenario& s : scenarios(sources)) {
        INFO(s.name);
        const plan::Plan plan = plan_for(s);
        FakeTransport fake(s.before);
        test::TempDir dir;
        rt::JournalWriter journal = journal_in(dir, s.before, plan, sources);
        rt::ApplyOptions options;
        options.verify = [&](const live::State& after) -> rt::Result<std::vector<std::string>> {
            std::vector<std::string> residual;
            if (s.destroy) return residual;
            for (const std::string& line : test::step_lines(plan::make_plan(s.desired, after))) residual.push_back(line);
            return residual;
        };
        const rt::ApplyResult result = rt::apply_plan(plan, s.before, fake, journal, options);
        CHECK(result.outcome == ApplyOutcome::applied);
        CHECK(!result.failure);
        CHECK(result.confirmed == plan.ops.size());
        CHECK(!result.restore);
        REQUIRE(result.after);
        // Consecutive operations of one namespace went out as one batch.
        std::size_t runs = 0;
        for (std::size_t i = 0; i < plan.ops.size(); ++i) {
            const bool netlink = rt::is_netlink(plan.ops[i].step.kind());
            if (netlink && (i == 0 || !rt::is_netlink(plan.ops[i - 1].step.kind()) ||
                            plan.ops[i - 1].step.netns() != plan.ops[i].step.netns())) {
                ++runs;
            }
        }
        CHECK(result.stats.batches == runs);
    }
}

TEST_CASE("requests after a failed one in the same sendmsg are confirmed and undone", "[apply]") {
    SourceSet sources;
    const ir::NodeIr desired = routed(3).build(sources);
    const live::State before = test::bare_node();
    const plan::Plan plan = plan::make_plan(desired, before);
    // The host batch creates veth1, veth2 and veth3 back to back.
    std::size_t veth2 = plan.ops.size();
    for (std::size_t i = 0; i < plan.ops.size(); ++i) {
        if (test::step_line(plan.ops[i].step).starts_with("create_link veth2")) veth2 = i;
    }
    REQUIRE(veth2 < plan.ops.size());

    FakeTransport fake(before);
    fake.refuse = [](const plan::Step& step) {
        const auto* create = plan::object_if<plan::LinkCreate>(step);
        return create != nullptr && create->end.name == "veth2" ? EBUSY : 0;
    };
    test::TempDir dir;
    rt::JournalWriter journal = journal_in(dir, before, plan, sources);
    const rt::ApplyResult result = rt::apply_plan(plan, before, fake, journal, {});

    REQUIRE(result.failure);
    CHECK(result.failure->op == veth2);
    CHECK(result.failure->error == EBUSY);
    std::size_t confirmed_after_failure = 0;
    for (std::size_t i = veth2 + 1; i < plan.ops.size(); ++i) {
        if (result.outcomes[i].status == StepStatus::done) ++confirmed_after_failure;
    }
    CHECK(confirmed_after_failure > 0);  // veth3 and the host settings of pod-1 and pod-3
    const auto& undo = undo_part(fake, result);
    CHECK(std::find(undo.begin(), undo.end(), "change_link veth3") != undo.end());  // into the group deleted
    CHECK(std::find(undo.begin(), undo.end(), "change_link veth2") == undo.end());
    CHECK(undo == expected_undo(plan, result));
    CHECK(result.outcome == ApplyOutcome::rolled_back);
    CHECK(rt::state_differences(before, fake.state()).empty());

    SECTION("also when the batch is split over several sendmsg calls") {
        FakeTransport split(before);
        split.requests_per_send = 2;
        split.refuse = fake.refuse;
        test::TempDir dir2;
        rt::JournalWriter journal2 = journal_in(dir2, before, plan, sources);
        const rt::ApplyResult r = rt::apply_plan(plan, before, split, journal2, {});
        CHECK(r.failure->op == veth2);
        CHECK(r.outcome == ApplyOutcome::rolled_back);
        // Requests of the sendmsg that failed are all answered; later sendmsgs never happen.
        const std::size_t chunk_end = veth2 + 2;
        for (std::size_t i = chunk_end; i < plan.ops.size(); ++i) {
            if (r.outcomes[i].sent) CHECK(i < chunk_end);
        }
        CHECK(rt::state_differences(before, split.state()).empty());
    }
}

// Found by tests/kernel/hostile-history.test.sh (seed 31449599): a plan deleting a
// route-mode pod sends "delete route A/32 dev VETH" and, in the same sendmsg, the
// deletion of VETH. The route's deletion refused, the veth's went through and took
// the route with it; the undo re-created the veth but not the route (exit 4).
TEST_CASE("a refused deletion whose object a later request of its sendmsg took along is put back", "[apply]") {
    SourceSet sources;
    const live::State before = kernel_like(test::converged(routed(3).build(sources)));
    const plan::Plan plan = plan::make_plan(routed(2).build(sources), before);  // pod-3 deleted
    std::size_t route = plan.ops.size(), link = plan.ops.size();
    for (std::size_t i = 0; i < plan.ops.size(); ++i) {
        const std::string line = test::step_line(plan.ops[i].step);
        if (line.starts_with("delete_route 10.10.1.12/32")) route = i;
        if (line.starts_with("delete_link veth3")) link = i;
    }
    for (const plan::Op& op : plan.ops) INFO(test::step_line(op.step));
    REQUIRE(route < plan.ops.size());
    FakeTransport fake(before);
    fake.refuse = [](const plan::Step& step) {
        return test::step_line(step).starts_with("delete_route 10.10.1.12/32") ? EBUSY : 0;
    };
    test::TempDir dir;
    rt::JournalWriter journal = journal_in(dir, before, plan, sources);
    const rt::ApplyResult result = rt::apply_plan(plan, before, fake, journal, {});
    REQUIRE(result.failure);
    CHECK(result.failure->op == route);
    const auto& undo = undo_part(fake, result);
    CHECK(undo == expected_undo(plan, result));
    REQUIRE(link < plan.ops.size());
    CHECK(link > route);
    CHECK(result.outcomes[link].status == StepStatus::done);  // same sendmsg: the kernel carries on
    CHECK(std::find(undo.begin(), undo.end(), "add_route 10.10.1.12/32") != undo.end());
    for (const std::string& d : rt::state_differences(before, fake.state())) FAIL_CHECK(d);
    CHECK(result.outcome == ApplyOutcome::rolled_back);
}

TEST_CASE("acknowledgements lost: the batch may have happened and is undone all the same", "[apply]") {
    SourceSet sources;
    const ir::NodeIr desired = routed(2).build(sources);
    const live::State before = test::bare_node();
    const plan::Plan plan = plan::make_plan(desired, before);
    FakeTransport fake(before);
    fake.lose_acks_of_send = 1;  // the second sendmsg is processed, its acks never arrive
    test::TempDir dir;
    rt::JournalWriter journal = journal_in(dir, before, plan, sources);
    const rt::ApplyResult result = rt::apply_plan(plan, before, fake, journal, {});
    REQUIRE(result.failure);
    CHECK(result.failure->kind == rt::ApplyFailure::Kind::interrupted);
    CHECK(result.failure->error == ENOBUFS);
    const auto unknown = std::count_if(result.outcomes.begin(), result.outcomes.end(),
                                       [](const rt::StepOutcome& o) { return o.status == StepStatus::unknown; });
    CHECK(unknown > 0);
    for (const rt::UndoProblem& p : result.restore->problems) {
        FAIL_CHECK(test::step_line(p.step) << ": " << p.error << " " << p.message);
    }
    for (const std::string& d : result.restore->differences) FAIL_CHECK(d);
    CHECK(result.outcome == ApplyOutcome::rolled_back);
    CHECK(rt::state_differences(before, fake.state()).empty());
}

TEST_CASE("a node that does not converge after a complete apply is rolled back", "[apply]") {
    SourceSet sources;
    const ir::NodeIr desired = routed(2).build(sources);
    const live::State before = test::bare_node();
    const plan::Plan plan = plan::make_plan(desired, before);
    FakeTransport fake(before);
    test::TempDir dir;
    rt::JournalWriter journal = journal_in(dir, before, plan, sources);
    rt::ApplyOptions options;
    // Someone deletes pod-2's default route right after podnetc added it.
    options.after_send = [&](std::size_t, std::size_t last) {
        if (last != plan.ops.size()) return;
        for (const plan::Op& op : plan.ops) {
            const auto* route = plan::object_if<kernel::Route>(op.step);
            if (route != nullptr && route->netns == "pod-2" && route->dst.len == 0) {
                fake.poke(plan::DeleteRoute{*route});
            }
        }
    };
    options.verify = [&](const live::State& after) -> rt::Result<std::vector<std::string>> {
        return test::step_lines(plan::make_plan(desired, after));
    };
    const rt::ApplyResult result = rt::apply_plan(plan, before, fake, journal, options);
    REQUIRE(result.failure);
    CHECK(result.failure->kind == rt::ApplyFailure::Kind::unverified);
    REQUIRE(result.failure->problems.size() == 1);
    CHECK(result.failure->problems[0].starts_with("add_route pod-2 0.0.0.0/0"));
    CHECK(result.confirmed == plan.ops.size());
    REQUIRE(result.restore);
    CHECK(result.restore->already_undone == 1);  // the route someone else deleted
    CHECK(result.outcome == ApplyOutcome::rolled_back);
    CHECK(rt::state_differences(before, fake.state()).empty());
}

TEST_CASE("an undo that cannot restore everything says what is left", "[apply]") {
    SourceSet sources;
    const live::State before = kernel_like(test::converged(routed(3).build(sources)));
    const plan::Plan plan = plan::make_plan(routed(2).build(sources), before);  // pod-3 goes
    REQUIRE(test::step_line(plan.ops.back().step) == "delete_netns pod-3");
    FakeTransport fake(before);
    // The last operation fails; undoing the deletion of veth3 fails too.
    fake.refuse = [](const plan::Step& step) {
        const auto* create = plan::object_if<plan::LinkCreate>(step);
        return create != nullptr && create->end.name == "veth3" ? EBUSY : 0;
    };
    test::TempDir dir;
    rt::JournalWriter journal = journal_in(dir, before, plan, sources);
    rt::ApplyOptions options;
    options.fail_at = plan.ops.size() - 1;
    const rt::ApplyResult result = rt::apply_plan(plan, before, fake, journal, options);
    CHECK(result.failure->op == plan.ops.size() - 1);
    CHECK(result.outcome == ApplyOutcome::rollback_incomplete);
    REQUIRE(result.restore);
    REQUIRE(!result.restore->problems.empty());
    CHECK(result.restore->problems[0].error == EBUSY);
    CHECK(test::step_line(result.restore->problems[0].step) == "create_link veth3");
    const auto& left = result.restore->differences;
    CHECK(std::find(left.begin(), left.end(), "link veth3 in host: missing") != left.end());
    CHECK(std::find(left.begin(), left.end(), "link eth0 in pod-3: missing") != left.end());
    CHECK(std::find(left.begin(), left.end(),
                    "route 10.10.1.12/32 dev veth3 scope 253 proto 176 in host: missing") != left.end());
}

TEST_CASE("an undo that cannot read the kernel undoes all the same, and says it cannot tell", "[apply]") {
    SourceSet sources;
    const ir::NodeIr desired = routed(2).build(sources);
    const live::State before = test::bare_node();
    const plan::Plan plan = plan::make_plan(desired, before);
    FakeTransport fake(before);
    fake.failing_reads = 2;  // the read before the undo and the one after it
    test::TempDir dir;
    rt::JournalWriter journal = journal_in(dir, before, plan, sources);
    rt::ApplyOptions options;
    options.fail_at = plan.ops.size() - 1;
    const rt::ApplyResult result = rt::apply_plan(plan, before, fake, journal, options);
    REQUIRE(result.restore);
    CHECK(result.restore->read_error);
    CHECK(result.outcome == ApplyOutcome::rollback_incomplete);
    // The ifindexes the encoder pinned were right, so the undo itself worked.
    CHECK(result.restore->problems.empty());
    CHECK(rt::state_differences(before, fake.state()).empty());
}

TEST_CASE("which inverse outcomes mean 'already undone'", "[apply]") {
    using K = plan::StepKind;
    CHECK(rt::means_already_undone(K::delete_link, ENODEV));
    CHECK(!rt::means_already_undone(K::delete_link, EBUSY));
    CHECK(rt::means_already_undone(K::delete_route, ESRCH));
    CHECK(!rt::means_already_undone(K::delete_route, ENOENT));
    CHECK(rt::means_already_undone(K::delete_address, EADDRNOTAVAIL));
    CHECK(rt::means_already_undone(K::delete_neighbor, ENOENT));
    CHECK(rt::means_already_undone(K::delete_netns, ENOENT));
    for (K kind : {K::create_netns, K::create_link, K::add_address, K::add_route, K::add_neighbor}) {
        CHECK(rt::means_already_undone(kind, EEXIST));
        CHECK(!rt::means_already_undone(kind, ENODEV));
    }
    for (K kind : {K::change_link, K::set_neigh_parms, K::replace_route, K::replace_address, K::replace_neighbor}) {
        CHECK(rt::means_already_undone(kind, ENODEV));
        CHECK(!rt::means_already_undone(kind, EEXIST));
        CHECK(!rt::means_already_undone(kind, EINVAL));
    }
    CHECK(!rt::means_already_undone(K::register_netns, ENOENT));
}

}  // namespace
}  // namespace podnetc
