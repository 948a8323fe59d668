#include "compiler/steps/plan_summary.hpp"

#include <fmt/format.h>

#include "compiler/base/text_format.hpp"

namespace podnetc::plan {

Effect effect_of(const Op& op) {
    if (op.reason == Reason::adopt) return Effect::adopt;
    switch (op.step.kind()) {
        case StepKind::create_netns:
        case StepKind::register_netns:
        case StepKind::create_link:
        case StepKind::add_address:
        case StepKind::add_route:
        case StepKind::add_neighbor: return Effect::create;
        case StepKind::delete_netns:
        case StepKind::unregister_netns:
        case StepKind::delete_link:
        case StepKind::delete_address:
        case StepKind::delete_route:
        case StepKind::delete_neighbor: return Effect::remove;
        case StepKind::change_link:
        case StepKind::set_neigh_parms:
        case StepKind::replace_address:
        case StepKind::replace_route:
        case StepKind::replace_neighbor:
            // Settings of an object this plan creates are part of creating it.
            return op.reason == Reason::missing ? Effect::create : Effect::change;
    }
    return Effect::change;
}

char marker(Effect effect) {
    switch (effect) {
        case Effect::create: return '+';
        case Effect::change: return '~';
        case Effect::remove: return '-';
        case Effect::adopt: return '=';
    }
    return '~';
}

Counts count(const Plan& plan) {
    Counts c;
    for (const Op& op : plan.ops) {
        if (op.reason == Reason::drift) {
            ++c.drift;
            continue;
        }
        switch (effect_of(op)) {
            case Effect::create: ++c.create; break;
            case Effect::change: ++c.change; break;
            case Effect::remove: ++c.remove; break;
            case Effect::adopt: ++c.adopt; break;
        }
    }
    c.conflicts = plan.conflicts.size();
    return c;
}

std::string summary_line(const Counts& c) {
    std::string line = fmt::format("Plan: {} to create, {} to change, {} to delete", group_thousands(c.create),
                                   group_thousands(c.change), group_thousands(c.remove));
    if (c.adopt != 0) line += fmt::format(", {} to adopt", group_thousands(c.adopt));
    if (c.drift != 0) line += ", " + plural(c.drift, "drift repair");
    return line + ".";
}

}  // namespace podnetc::plan
