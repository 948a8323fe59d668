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

}  // namespace podnetc::ir
