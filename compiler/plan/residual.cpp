#include "compiler/plan/residual.hpp"

#include <fmt/format.h>

#include "compiler/plan/planner.hpp"
#include "compiler/steps/plan_describe.hpp"

namespace podnetc::plan {

std::vector<std::string> residual_problems(const ir::NodeIr& desired, const live::State& after) {
    std::vector<std::string> problems;
    const Plan residual = make_plan(desired, after);
    for (const Op& op : residual.ops) problems.push_back(fmt::format("still to do: {}", describe_action(op.step)));
    for (const Conflict& conflict : residual.conflicts) problems.push_back("conflict: " + conflict.message);
    return problems;
}

}  // namespace podnetc::plan
