#include "compiler/objects/objects.hpp"

namespace podnetc::kernel {

std::string_view route_scope_name(std::uint8_t scope) {
    switch (scope) {
        case kScopeLink: return "link";
        case kScopeHost: return "host";
        default: return "global";
    }
}

}  // namespace podnetc::kernel
