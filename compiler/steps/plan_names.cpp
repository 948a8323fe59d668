#include "compiler/steps/plan.hpp"

namespace podnetc::plan {

std::string_view step_kind_name(StepKind kind) {
    switch (kind) {
        case StepKind::create_netns: return "create_netns";
        case StepKind::delete_netns: return "delete_netns";
        case StepKind::register_netns: return "register_netns";
        case StepKind::unregister_netns: return "unregister_netns";
        case StepKind::create_link: return "create_link";
        case StepKind::change_link: return "change_link";
        case StepKind::delete_link: return "delete_link";
        case StepKind::set_neigh_parms: return "set_neigh_parms";
        case StepKind::add_address: return "add_address";
        case StepKind::replace_address: return "replace_address";
        case StepKind::delete_address: return "delete_address";
        case StepKind::add_route: return "add_route";
        case StepKind::replace_route: return "replace_route";
        case StepKind::delete_route: return "delete_route";
        case StepKind::add_neighbor: return "add_neighbor";
        case StepKind::replace_neighbor: return "replace_neighbor";
        case StepKind::delete_neighbor: return "delete_neighbor";
    }
    return "create_netns";
}

std::string_view reason_name(Reason reason) {
    switch (reason) {
        case Reason::missing: return "missing";
        case Reason::differs: return "differs";
        case Reason::undeclared: return "undeclared";
        case Reason::drift: return "drift";
        case Reason::adopt: return "adopt";
    }
    return "missing";
}

}  // namespace podnetc::plan
