// The deletion budget: parsing --max-delete, the default quarter, the refusal's words.
#include <catch2/catch.hpp>

#include "compiler/plan/deletion_budget.hpp"

using namespace podnetc;

namespace {

plan::Op removal(const std::string& pod, plan::Step step) {
    plan::Op op;
    op.step = std::move(step);
    op.reason = plan::Reason::undeclared;
    op.pod = pod;
    return op;
}

// Per pod, its host veth end and then its namespace, as a plan deletes them.
plan::Plan removing(std::size_t pods) {
    plan::Plan plan;
    for (std::size_t i = 1; i <= pods; ++i) {
        const std::string pod = "pod-" + std::to_string(i);
        plan.ops.push_back(removal(pod, plan::DeleteLink{}));
        plan.ops.push_back(removal(pod, plan::DeleteNetns{plan::NetnsSpec{pod}}));
    }
    return plan;
}

}  // namespace

TEST_CASE("--max-delete takes a count or a percentage", "[plan][budget]") {
    std::string error;
    CHECK(plan::parse_deletion_limit("3", error) == plan::DeletionLimit{3, false});
    CHECK(plan::parse_deletion_limit("40%", error) == plan::DeletionLimit{40, true});
    CHECK(plan::parse_deletion_limit("0", error) == plan::DeletionLimit{0, false});
    for (const char* bad : {"", "%", "-1", "3x", "101%", "2.5"}) {
        error.clear();
        CHECK_FALSE(plan::parse_deletion_limit(bad, error));
        CHECK(error.find("--max-delete wants") == 0);
    }
}

TEST_CASE("the default allows a quarter of the owned pods, at least one", "[plan][budget]") {
    CHECK(plan::allowed_deletions(plan::default_deletion_limit, 20) == 5);
    CHECK(plan::allowed_deletions(plan::default_deletion_limit, 10) == 2);
    CHECK(plan::allowed_deletions(plan::default_deletion_limit, 2) == 1);
    CHECK(plan::allowed_deletions(plan::DeletionLimit{0, true}, 20) == 0);
    CHECK(plan::allowed_deletions(plan::DeletionLimit{7, false}, 3) == 7);
}

TEST_CASE("the budget counts deleted namespaces, not every removed object", "[plan][budget]") {
    plan::Plan plan = removing(3);
    // An old address of a kept pod is removed, but the pod stays.
    plan.ops.push_back(removal("pod-9", plan::DeleteAddress{}));
    plan::Op declared;
    declared.step = plan::CreateNetns{plan::NetnsSpec{"pod-10"}};
    declared.pod = "pod-10";
    plan.ops.push_back(declared);
    CHECK(plan::pods_deleted(plan) == std::vector<std::string>{"pod-1", "pod-2", "pod-3"});
    CHECK(plan::pods_removed(plan) == std::vector<std::string>{"pod-1", "pod-2", "pod-3", "pod-9"});
}

TEST_CASE("a plan within the budget passes, one over it is refused as a whole", "[plan][budget]") {
    CHECK_FALSE(plan::check_deletion_budget(removing(5), 20, plan::default_deletion_limit));
    const auto refused = plan::check_deletion_budget(removing(16), 20, plan::default_deletion_limit);
    REQUIRE(refused);
    CHECK(refused->pods.size() == 16);
    CHECK(refused->allowed == 5);
    CHECK(plan::describe(*refused, plan::default_deletion_limit) ==
          "deletes 16 of 20 owned pods (pod-1, pod-2, pod-3, pod-4, pod-5, …), more than --max-delete 25% "
          "allows (5)");
    CHECK_FALSE(plan::check_deletion_budget(removing(16), 20, plan::DeletionLimit{16, false}));
}
