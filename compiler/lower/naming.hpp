// Names lowering derives when the file does not give one: pod interfaces (eth0,
// eth1, …), host-side veth ends and mesh interfaces. Derived names depend only on
// the object they name, never on other declarations, so adding or removing a pod
// never renames another pod's devices.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/net/net_types.hpp"

namespace podnetc::naming {

// "pn" + 13 lower-case hex digits of the mixed FNV-1a-64("POD/IFNAME"): 15 bytes,
// the kernel's limit.
std::string default_host_veth(std::string_view pod, std::string_view ifname);

// The interface of a mesh pair in one pod, towards `peer`: the peer's name when it
// is a valid interface name (and not "lo"), else "pm" + 13 hex digits of the mixed
// FNV-1a-64(peer).
std::string mesh_ifname(std::string_view peer);

// The fixed MAC of a bridge podnetc creates: 02 (locally administered, unicast) and
// the five high bytes of the mixed FNV-1a-64(BRIDGE). A bridge whose MAC nobody set
// takes the lowest MAC of its ports and changes it whenever that port leaves or
// changes, so the pods' cached entry for their gateway went stale (no answer for
// seconds) each time the wrong pod was deleted; a MAC set once stays.
Mac bridge_mac(std::string_view bridge);

// "eth" + index.
std::string default_ifname(std::size_t index);

}  // namespace podnetc::naming
