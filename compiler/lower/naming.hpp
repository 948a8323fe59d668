// Names lowering derives when the file does not give one: pod interfaces (eth0,
// eth1, …), host-side veth ends and mesh interfaces. Derived names depend only on
// the object they name, never on other declarations, so adding or removing a pod
// never renames another pod's devices.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace podnetc::naming {

// "pn" + 13 lower-case hex digits of the mixed FNV-1a-64("POD/IFNAME"): 15 bytes,
// the kernel's limit.
std::string default_host_veth(std::string_view pod, std::string_view ifname);

// The interface of a mesh pair in one pod, towards `peer`: the peer's name when it
// is a valid interface name (and not "lo"), else "pm" + 13 hex digits of the mixed
// FNV-1a-64(peer).
std::string mesh_ifname(std::string_view peer);

// "eth" + index.
std::string default_ifname(std::size_t index);

}  // namespace podnetc::naming
