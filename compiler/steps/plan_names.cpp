#include "compiler/steps/plan.hpp"

#include <utility>

namespace podnetc::plan {
namespace {

template <std::size_t... I>
constexpr bool kinds_are_indexes(std::index_sequence<I...>) {
    return ((std::variant_alternative_t<I, TypedStep>::kind == static_cast<StepKind>(I)) && ...);
}
static_assert(kinds_are_indexes(std::make_index_sequence<std::variant_size_v<TypedStep>>{}),
              "TypedStep lists the alternatives in StepKind order");
static_assert(std::variant_size_v<TypedStep> == static_cast<std::size_t>(StepKind::delete_neighbor) + 1,
              "every StepKind has an alternative");

const std::string& namespace_of(const NetnsSpec& spec) { return spec.name; }
const std::string& namespace_of(const LinkCreate& create) { return create.end.netns; }
template <class Object>
const std::string& namespace_of(const Object& object) {
    return object.netns;
}

}  // namespace

const std::string& Step::netns() const {
    return visit_object([](const auto& object) -> const std::string& { return namespace_of(object); }, *this);
}

bool is_kernel_deletion(StepKind kind) {
    return kind == StepKind::delete_link || kind == StepKind::delete_address || kind == StepKind::delete_route ||
           kind == StepKind::delete_neighbor;
}

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
