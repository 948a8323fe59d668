// Which network namespaces podnetc owns. A namespace has no field for a marker,
// so ownership is recorded outside it: one empty file per owned namespace in
// STATE_DIR/netns/ (the file name is the namespace name).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/sys/sys_error.hpp"

namespace podnetc::rt {

class NetnsRegistry {
public:
    explicit NetnsRegistry(std::string state_dir);

    const std::string& directory() const { return directory_; }
    // Registered names, sorted; an absent directory is an empty registry.
    Result<std::vector<std::string>> list() const;
    // Idempotent: adding a registered name or removing an unregistered one succeeds.
    Result<void> add(std::string_view name) const;
    Result<void> remove(std::string_view name) const;

private:
    std::string directory_;
};

}  // namespace podnetc::rt
