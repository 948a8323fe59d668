#include "runtime/undo.hpp"

#include <cerrno>

#include "runtime/state_compare.hpp"

namespace podnetc::rt {

bool means_already_undone(plan::StepKind kind, int error) {
    using K = plan::StepKind;
    switch (kind) {
    case K::delete_link: return error == ENODEV;
    case K::delete_address: return error == EADDRNOTAVAIL || error == ENODEV;
    case K::delete_route: return error == ESRCH || error == ENODEV;
    case K::delete_neighbor: return error == ENOENT || error == ENODEV;
    case K::delete_netns: return error == ENOENT;
    case K::create_netns:
    case K::create_link:
    case K::add_address:
    case K::add_route:
    case K::add_neighbor:
        return error == EEXIST;
    case K::change_link:
    case K::set_neigh_parms:
    case K::replace_address:
    case K::replace_route:
    case K::replace_neighbor:
        return error == ENODEV;
    case K::register_netns:
    case K::unregister_netns:
        return false;
    }
    return false;
}

RestoreReport undo_operations(const plan::Plan& plan, const std::vector<std::size_t>& ops, const live::State& before,
                              ApplyTransport& transport, IndexMap& indexes) {
    RestoreReport report;
    // Ifindexes follow the kernel as it is now, not as the plan expected it.
    if (auto now = transport.read_state(); now) indexes.refresh(*now);

    std::vector<const plan::Step*> steps;
    std::vector<std::size_t> op_of_step;
    for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
        for (const plan::Step& step : plan.ops[*it].inverse) {
            steps.push_back(&step);
            op_of_step.push_back(*it);
        }
    }
    report.ops_undone = ops.size();

    RunOptions options;
    options.stop_at_failure = false;
    RunResult run = run_steps(steps, transport, indexes, options);
    report.stats = run.stats;
    report.interrupted = std::move(run.interrupted);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const StepOutcome& outcome = run.outcomes[i];
        if (outcome.status == StepStatus::not_run) continue;
        ++report.steps_run;
        if (outcome.status != StepStatus::failed) continue;
        if (means_already_undone(steps[i]->kind, outcome.error)) {
            ++report.already_undone;
            continue;
        }
        report.problems.push_back(UndoProblem{op_of_step[i], *steps[i], outcome.error, outcome.message});
    }

    auto after = transport.read_state();
    if (!after) {
        report.read_error = std::move(after).error();
        return report;
    }
    report.differences = state_differences(before, *after);
    return report;
}

}  // namespace podnetc::rt
