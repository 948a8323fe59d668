#include "tests/unit/plan/plan_checks.hpp"

#include <fmt/format.h>

#include "compiler/plan/planner.hpp"
#include "runtime/netlink/netlink_encode.hpp"
#include "tests/unit/apply/kernel_sim.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"

namespace podnetc::test {

std::string apply_plan(const plan::Plan& plan, const live::State& live, live::State* result) {
    KernelSim sim(live);
    for (std::size_t i = 0; i < plan.ops.size(); ++i) {
        const std::string error = sim.apply(plan.ops[i].step);
        if (!error.empty()) return fmt::format("op {} ({}) failed: {}", i, step_line(plan.ops[i].step), error);
    }
    if (result != nullptr) *result = sim.state();
    return "";
}

std::string check_rollback(const plan::Plan& plan, const live::State& live) {
    const std::string original = dump(normalized(live));
    for (std::size_t k = 0; k <= plan.ops.size(); ++k) {
        KernelSim sim(live);
        for (std::size_t i = 0; i < k; ++i) {
            const std::string error = sim.apply(plan.ops[i].step);
            if (!error.empty()) return fmt::format("op {} ({}) failed: {}", i, step_line(plan.ops[i].step), error);
        }
        for (std::size_t i = k; i-- > 0;) {
            const std::string error = sim.apply_all(plan.ops[i].inverse);
            if (!error.empty()) {
                return fmt::format("after ops[0..{}), the inverse of op {} ({}) failed at {}", k, i,
                                   step_line(plan.ops[i].step), error);
            }
        }
        const std::string restored = dump(normalized(sim.state()));
        if (restored != original) {
            return fmt::format("after ops[0..{}) and their inverses the state differs:\n--- original\n{}--- restored\n{}",
                               k, original, restored);
        }
    }
    return "";
}

std::string check_rollback_with_refusal(const plan::Plan& plan, const live::State& live,
                                        const std::set<plan::StepKind>& refusable) {
    const std::string original = dump(normalized(live));
    const auto netlink = [](const plan::Step& step) { return rt::is_netlink(step.kind()); };
    for (std::size_t refused = 0; refused < plan.ops.size(); ++refused) {
        // A refused deletion is undone too when later requests went through (the
        // applier's rule, proven in tests/unit/apply/applier_test.cpp): not here.
        const plan::Step& refused_step = plan.ops[refused].step;
        if (!refusable.contains(refused_step.kind()) || !netlink(refused_step) ||
            plan::is_kernel_deletion(refused_step.kind())) {
            continue;
        }
        KernelSim sim(live);
        std::vector<std::size_t> done;
        for (std::size_t i = 0; i < refused; ++i) {
            if (!sim.apply(plan.ops[i].step).empty()) return fmt::format("op {} failed", i);
            done.push_back(i);
        }
        // The rest of its batch (one sendmsg): the following netlink operations of
        // the same namespace.
        for (std::size_t i = refused + 1; i < plan.ops.size() && netlink(plan.ops[i].step) &&
                                          plan.ops[i].step.netns() == refused_step.netns();
             ++i) {
            if (sim.apply(plan.ops[i].step).empty()) done.push_back(i);
        }
        for (std::size_t d = done.size(); d-- > 0;) {
            const std::size_t i = done[d];
            if (const std::string error = sim.apply_all(plan.ops[i].inverse); !error.empty()) {
                return fmt::format("op {} refused: the inverse of op {} ({}) failed at {}", refused, i,
                                   step_line(plan.ops[i].step), error);
            }
        }
        const std::string restored = dump(normalized(sim.state()));
        if (restored != original) {
            return fmt::format("op {} ({}) refused, the others and their inverses run: the state differs:\n--- original\n{}"
                               "--- restored\n{}",
                               refused, step_line(plan.ops[refused].step), original, restored);
        }
    }
    return "";
}

std::string check_converges(const ir::NodeIr& desired, const plan::Plan& plan, const live::State& live) {
    live::State after;
    const std::string error = apply_plan(plan, live, &after);
    if (!error.empty()) return error;
    after.last_applied = plan::applied_record(desired);
    const plan::Plan again = plan::make_plan(desired, after);
    if (again.ops.empty() && again.conflicts.empty()) return "";
    std::string out = "planning again after the apply is not empty:\n";
    for (const auto& op : again.ops) out += fmt::format("  {} [{}] {}\n", step_line(op.step), plan::reason_name(op.reason), op.detail);
    for (const auto& c : again.conflicts) out += "  conflict: " + c.message + "\n";
    return out;
}

}  // namespace podnetc::test
