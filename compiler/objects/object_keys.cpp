#include "compiler/objects/object_keys.hpp"

#include <string>

namespace podnetc::kernel {

// Keys are made for every object of every plan: plain appends, no formatting.
namespace {

void append_qualified(std::string& out, std::string_view netns, std::string_view name) {
    if (!netns.empty()) {
        out += netns;
        out += '/';
    }
    out += name;
}

}  // namespace

std::string qualified(std::string_view netns, std::string_view name) {
    std::string out;
    append_qualified(out, netns, name);
    return out;
}

std::string record_key_netns(std::string_view name) {
    std::string out = "netns ";
    out += name;
    return out;
}

std::string record_key(const LinkKey& key) {
    std::string out = "link ";
    append_qualified(out, key.netns, key.name);
    return out;
}

std::string record_key(const AddressKey& key) {
    std::string out = "address ";
    append_qualified(out, key.netns, key.dev);
    out += ' ';
    out += key.local.str();
    return out;
}

// The namespace comes first unless it is the host's; a prefix always contains '/',
// a namespace name never does, so the two forms cannot be confused.
std::string record_key(const RouteKey& key) {
    std::string out = "route ";
    if (!key.netns.empty()) {
        out += key.netns;
        out += ' ';
    }
    out += key.dst.str();
    if (key.table != kMainTable) out += " table " + std::to_string(key.table);
    out += " metric " + std::to_string(key.metric);
    return out;
}

std::string record_key(const NeighborKey& key) {
    std::string out = "neighbor ";
    append_qualified(out, key.netns, key.dev);
    out += ' ';
    out += key.dst.str();
    return out;
}

}  // namespace podnetc::kernel
