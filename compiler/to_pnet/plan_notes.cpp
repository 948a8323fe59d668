#include "compiler/to_pnet/plan_notes.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "compiler/objects/kernel_values.hpp"
#include "compiler/live/live_state_text.hpp"
#include "compiler/steps/plan_describe.hpp"

namespace podnetc::live {
namespace {

std::string subject(const plan::NetnsSpec& n) { return "namespace " + n.name; }
std::string subject(const plan::LinkCreate& c) { return "link " + c.end.name; }
std::string subject(const plan::LinkChange& c) { return "link " + c.name; }
std::string subject(const plan::NeighParms& p) { return "link " + p.dev; }
std::string subject(const plan::LinkDelete& d) {
    return d.group ? fmt::format("the links of group {}", *d.group) : "link " + d.name;
}
std::string subject(const kernel::Address& a) { return object_text(a); }
std::string subject(const kernel::Route& r) { return object_text(r); }
std::string subject(const kernel::Neighbor& n) { return object_text(n); }

std::string_view verb(plan::StepKind kind) {
    using plan::StepKind;
    switch (kind) {
        case StepKind::create_netns:
        case StepKind::create_link: return "create";
        case StepKind::register_netns: return "register";
        case StepKind::unregister_netns: return "forget";
        case StepKind::change_link:
        case StepKind::set_neigh_parms: return "change";
        case StepKind::add_address:
        case StepKind::add_route:
        case StepKind::add_neighbor: return "add";
        case StepKind::replace_address:
        case StepKind::replace_route:
        case StepKind::replace_neighbor: return "replace";
        case StepKind::delete_netns:
        case StepKind::delete_link:
        case StepKind::delete_address:
        case StepKind::delete_route:
        case StepKind::delete_neighbor: return "delete";
    }
    return "change";
}

// "host: ARP proxy_delay of veth1 is 800 ms; the plan will set 0": the value the
// step replaces, read from the state the plan was made against.
std::optional<std::string> proxy_delay_note(const plan::Step& step, const State& state) {
    const auto& parms = plan::object_of<plan::NeighParms>(step);
    const auto link = std::find_if(state.links.begin(), state.links.end(), [&](const Link& l) {
        return l.netns == parms.netns && l.name == parms.dev;
    });
    if (link == state.links.end()) return std::nullopt;  // created by the plan itself
    return fmt::format("{}: ARP proxy_delay of {} is {}; the plan will set {}", netns_label(parms.netns), parms.dev,
                       link->proxy_delay_ms ? fmt::format("{} ms", *link->proxy_delay_ms) : std::string("unknown"),
                       parms.proxy_delay_ms);
}

// Nothing for a plain takeover (the file's header says that adopting takes the
// objects over); every other operation says what it changes.
std::optional<std::string> op_note(const plan::Op& op, const State& state) {
    const plan::Step& step = op.step;
    const std::string about = fmt::format(
        "{}: {}", netns_label(step.netns()), plan::visit_object([](const auto& object) { return subject(object); }, step));
    switch (op.reason) {
        case plan::Reason::adopt:
            if (op.detail.empty()) return std::nullopt;
            return fmt::format("{}: {}; the plan adopts it and changes that", about, op.detail);
        case plan::Reason::undeclared:
            return about + " carries podnetc's marker but is not in the file; the plan would delete it";
        case plan::Reason::drift:
            return fmt::format("{}: {} (changed outside podnetc since the last apply); the plan will {} it", about,
                               op.detail, verb(step.kind()));
        case plan::Reason::missing:
        case plan::Reason::differs:
            if (step.kind() == plan::StepKind::set_neigh_parms) {
                if (auto note = proxy_delay_note(step, state)) return note;
            }
            if (op.detail.empty() && op.reason == plan::Reason::missing) {
                return fmt::format("{} is missing; the plan will {} it", about, verb(step.kind()));
            }
            return fmt::format("{}: {}; the plan will {} it", about, op.detail, verb(step.kind()));
    }
    return std::nullopt;
}

}  // namespace

std::string object_text(const kernel::Address& a) { return fmt::format("address {} on {}", a.local.str(), a.dev); }

std::string object_text(const kernel::Route& r) {
    std::string out = "route " + plan::dst_text(r.dst);
    if (r.gateway) out += " via " + r.gateway->str();
    if (!r.dev.empty()) out += " dev " + r.dev;
    if (r.table != kernel::kMainTable) out += fmt::format(" table {}", r.table);
    return out;
}

std::string object_text(const kernel::Neighbor& n) {
    std::string out = fmt::format("{}neighbour {}", n.state == kernel::kNudPermanent ? "permanent " : "", n.dst.str());
    if (n.lladdr) out += " lladdr " + n.lladdr->str();
    return out + " on " + n.dev;
}

std::vector<std::string> plan_notes(const plan::Plan& plan, const State& state) {
    std::vector<std::string> notes;
    for (const plan::Op& op : plan.ops) {
        if (auto note = op_note(op, state)) notes.push_back(std::move(*note));
    }
    for (const plan::Conflict& conflict : plan.conflicts) {
        notes.push_back(fmt::format("conflict: {}; the plan cannot be applied", conflict.message));
    }
    return notes;
}

}  // namespace podnetc::live
