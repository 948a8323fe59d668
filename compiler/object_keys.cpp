#include "compiler/object_keys.hpp"

#include <fmt/format.h>

namespace podnetc::plan {

std::string qualified(std::string_view netns, std::string_view name) {
    if (netns.empty()) return std::string(name);
    return fmt::format("{}/{}", netns, name);
}

std::string record_key_netns(std::string_view name) { return fmt::format("netns {}", name); }

std::string record_key(const LinkKey& key) {
    return fmt::format("link {}", qualified(key.netns, key.name));
}

std::string record_key(const AddressKey& key) {
    return fmt::format("address {} {}", qualified(key.netns, key.dev), key.local.str());
}

// The namespace comes first unless it is the host's; a prefix always contains '/',
// a namespace name never does, so the two forms cannot be confused.
std::string record_key(const RouteKey& key) {
    std::string out = "route ";
    if (!key.netns.empty()) out += key.netns + " ";
    out += key.dst.str();
    if (key.table != kMainTable) out += fmt::format(" table {}", key.table);
    out += fmt::format(" metric {}", key.metric);
    return out;
}

std::string record_key(const NeighborKey& key) {
    return fmt::format("neighbor {} {}", qualified(key.netns, key.dev), key.dst.str());
}

}  // namespace podnetc::plan
