#include "compiler/lower/naming.hpp"

#include <fmt/format.h>

#include "compiler/base/fnv1a.hpp"
#include "compiler/net/net_types.hpp"

namespace podnetc::naming {
namespace {

// FNV-1a alone barely mixes its last input bytes (pod-1/eth0 and pod-1/eth1 would
// differ in one hex digit), so a 64-bit finalizer (MurmurHash3's fmix64) spreads
// every input bit over the whole hash before the 52 high bits are taken.
std::uint64_t mix(std::uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

std::string hashed_name(std::string_view prefix, std::string_view key) {
    return fmt::format("{}{:013x}", prefix, mix(fnv1a64(key)) >> 12);
}

}  // namespace

std::string default_host_veth(std::string_view pod, std::string_view ifname) {
    std::string key;
    key.reserve(pod.size() + 1 + ifname.size());
    key.append(pod).append("/").append(ifname);
    return hashed_name("pn", key);
}

Mac bridge_mac(std::string_view bridge) {
    const std::uint64_t h = mix(fnv1a64(bridge));
    Mac mac;
    mac.bytes[0] = 0x02;
    for (std::size_t i = 1; i < mac.bytes.size(); ++i) mac.bytes[i] = static_cast<std::uint8_t>(h >> (64 - 8 * i));
    return mac;
}

std::string mesh_ifname(std::string_view peer) {
    if (peer != "lo" && ifname_problem(peer).empty()) return std::string(peer);
    return hashed_name("pm", peer);
}

std::string default_ifname(std::size_t index) { return fmt::format("eth{}", index); }

}  // namespace podnetc::naming
