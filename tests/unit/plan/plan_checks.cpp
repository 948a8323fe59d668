#include "tests/unit/plan/plan_checks.hpp"

#include <fmt/format.h>

#include "compiler/plan/planner.hpp"
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
