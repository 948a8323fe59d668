// `apply --verify`: after the node matches the file, prove that it works. From
// inside each pod, natively (icmp_probe.hpp), one echo request
//  - to the pod's gateway: the bridge's address (bridge networks with a gateway),
//    or the route network's next hop when a host device holds that address (the
//    default 169.254.1.1 is only answered by proxy ARP, never by ICMP);
//  - to the other pods of each of its networks: all of them in a network of up to
//    kAllPairsUpTo pods (128 pods: 16,256 probes, about 0.1 s), else the next
//    kRingPeers pods in file order, wrapping around, so that every pod is probed
//    both from and to.
// The source address is the pod's address on that network.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/live/live_state.hpp"
#include "runtime/probe/icmp_probe.hpp"

namespace podnetc::rt {

inline constexpr std::size_t kAllPairsUpTo = 128;
inline constexpr std::size_t kRingPeers = 32;

std::vector<Probe> connectivity_probes(const ir::NodeIr& ir, const live::State& after);

// Runs the probes; one line per failed probe ("pod-1 -> pod-2 10.10.1.11: no reply
// from …"), empty when every probe was answered.
Result<std::vector<std::string>> check_connectivity(const ir::NodeIr& ir, const live::State& after,
                                                   const ProbeOptions& options = {});

}  // namespace podnetc::rt
