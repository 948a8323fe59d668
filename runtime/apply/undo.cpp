#include "runtime/apply/undo.hpp"

#include <cerrno>
#include <deque>
#include <set>

#include "compiler/objects/ownership.hpp"
#include "runtime/apply/state_compare.hpp"

namespace podnetc::rt {
namespace {

// Where a run of link deletions is gathered before its one group delete.
constexpr std::uint32_t kUndoLinkGroup = kOwnedLinkGroup + 1;

struct UndoSteps {
    std::deque<plan::Step> made;  // steps written here (stable addresses)
    std::vector<const plan::Step*> steps;
    std::vector<std::size_t> op_of_step;

    void add(const plan::Step* step, std::size_t op) {
        steps.push_back(step);
        op_of_step.push_back(op);
    }
};

const plan::LinkDelete* single_link_deletion(const plan::Step* step) {
    if (step->kind() != plan::StepKind::delete_link) return nullptr;
    const auto* d = plan::object_if<plan::LinkDelete>(*step);
    return d != nullptr && !d->group ? d : nullptr;
}

// A group no link of the namespace is in.
std::uint32_t free_group(const live::State& now, const std::string& netns) {
    std::set<std::uint32_t> used;
    for (const live::Link& link : now.links) {
        if (link.netns == netns) used.insert(link.group);
    }
    std::uint32_t group = kUndoLinkGroup;
    while (used.contains(group)) ++group;
    return group;
}

// Deleting links one by one costs the kernel an RCU grace period each (~17 ms for
// a veth: 110 veths take 2 s), a group delete unregisters them together (KERNEL-
// FACTS #6). So a run of consecutive single-link deletions in one namespace (the
// undo of the veths a plan created) becomes: move each link into a group no link
// of that namespace is in, then delete that group in one request.
UndoSteps coalesce_link_deletions(const UndoSteps& in, const live::State& now) {
    UndoSteps out;
    for (std::size_t i = 0; i < in.steps.size();) {
        const plan::LinkDelete* first = single_link_deletion(in.steps[i]);
        std::size_t end = i + 1;
        while (first != nullptr && end < in.steps.size()) {
            const plan::LinkDelete* next = single_link_deletion(in.steps[end]);
            if (next == nullptr || next->netns != first->netns || in.steps[end]->netns() != in.steps[i]->netns()) break;
            ++end;
        }
        if (first == nullptr || end - i < 2) {
            out.add(in.steps[i], in.op_of_step[i]);
            ++i;
            continue;
        }
        const std::uint32_t group = free_group(now, first->netns);
        for (std::size_t j = i; j < end; ++j) {
            const auto& d = plan::object_of<plan::LinkDelete>(*in.steps[j]);
            plan::LinkChange regroup;
            regroup.netns = d.netns;
            regroup.name = d.name;
            regroup.group = group;
            out.add(&out.made.emplace_back(plan::ChangeLink{regroup}),
                    in.op_of_step[j]);
        }
        const plan::LinkDelete all{first->netns, "", group};
        out.add(&out.made.emplace_back(plan::DeleteLink{all}),
                in.op_of_step[i]);
        i = end;
    }
    return out;
}

}  // namespace

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
                              ApplyTransport& transport, IndexMap& indexes, const std::set<std::size_t>& ops_of_others) {
    RestoreReport report;
    UndoSteps undo;
    for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
        for (const plan::Step& step : plan.ops[*it].inverse) undo.add(&step, *it);
    }
    // Ifindexes follow the kernel as it is now, not as the plan expected it.
    if (auto now = transport.read_state(); now) {
        indexes.refresh(*now);
        undo = coalesce_link_deletions(undo, *now);
    }
    const std::vector<const plan::Step*>& steps = undo.steps;
    const std::vector<std::size_t>& op_of_step = undo.op_of_step;
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
        if (means_already_undone(steps[i]->kind(), outcome.error)) {
            ++report.already_undone;
            continue;
        }
        report.problems.push_back(UndoProblem{op_of_step[i], *steps[i], outcome.error, outcome.message, outcome.sent});
    }

    auto after = transport.read_state();
    if (!after) {
        report.read_error = std::move(after).error();
        return report;
    }
    SplitDifferences split = split_differences(before, *after, plan, ops_of_others);
    report.differences = std::move(split.ours);
    report.changed_by_others = std::move(split.others);
    return report;
}

}  // namespace podnetc::rt
