#include "compiler/naming.hpp"

#include <fmt/format.h>

#include "compiler/net_types.hpp"

namespace podnetc::naming {
namespace {

// The 52 high bits: FNV-1a mixes its high bits best (multiplication carries every
// bit's influence upwards only, so the low bits see little of the input).
std::string hashed_name(std::string_view prefix, std::string_view key) {
    return fmt::format("{}{:013x}", prefix, fnv1a64(key) >> 12);
}

}  // namespace

std::uint64_t fnv1a64(std::string_view text) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

std::string default_host_veth(std::string_view pod, std::string_view ifname) {
    std::string key;
    key.reserve(pod.size() + 1 + ifname.size());
    key.append(pod).append("/").append(ifname);
    return hashed_name("pn", key);
}

std::string mesh_ifname(std::string_view peer) {
    if (peer != "lo" && ifname_problem(peer).empty()) return std::string(peer);
    return hashed_name("pm", peer);
}

std::string default_ifname(std::size_t index) { return fmt::format("eth{}", index); }

}  // namespace podnetc::naming
