#include "compiler/ir/ir.hpp"

namespace podnetc::ir {

std::string_view mode_name(Mode mode) {
    switch (mode) {
        case Mode::bridge: return "bridge";
        case Mode::route: return "route";
        case Mode::mesh: return "mesh";
    }
    return "bridge";
}

std::string_view link_kind_name(LinkKind kind) {
    switch (kind) {
        case LinkKind::bridge: return "bridge";
        case LinkKind::veth: return "veth";
    }
    return "veth";
}

std::string_view route_scope_name(RouteScope scope) {
    switch (scope) {
        case RouteScope::universe: return "global";
        case RouteScope::link: return "link";
        case RouteScope::host: return "host";
    }
    return "global";
}

}  // namespace podnetc::ir
