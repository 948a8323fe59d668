#include "runtime/state/state_dir.hpp"

#include <cstdlib>

#include "compiler/objects/ownership.hpp"

namespace podnetc::rt {

std::string state_dir_from_environment() {
    const char* value = std::getenv("PODNETC_STATE_DIR");
    if (value != nullptr && value[0] != '\0') return value;
    return std::string(kDefaultStateDir);
}

}  // namespace podnetc::rt
