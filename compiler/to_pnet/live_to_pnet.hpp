// `podnetc show --as pnet`: a .pnet file that adopts a node set up by hand.
// The live state is read for the three models of docs/LANGUAGE.md:
//  - bridge: a host bridge whose ports are veths into pod namespaces -> a bridge
//    network named after the bridge (its address, if any, is the gateway and fixes
//    the subnet);
//  - route: host veths without master, with proxy_arp, whose pod routes via a
//    gateway on that veth -> a route network per gateway;
//  - mesh: veth pairs between pod namespaces -> a mesh network per fully
//    connected group of pods.
// Pods get their live addresses (always with /LEN) and host-veth names; networks
// and pods are marked `adopt` where the language allows. Then the objects that
// lowering the file would make are compared with the live ones; every difference
// becomes a comment: what the plan would still change, and what the file does not
// express (those objects stay as they are, foreign).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/live/live_state.hpp"

namespace podnetc::live {

struct InferredNetwork {
    std::string name;
    ir::Mode mode = ir::Mode::bridge;
    ip::Prefix subnet;
    std::optional<ip::Address> gateway;  // bridge: the bridge's address; route: the pods' next hop
    std::string bridge;           // bridge mode: the device (== name unless it is not a valid word)
    std::uint32_t mtu = 0;
};

struct InferredInterface {
    std::string ifname;  // "" for a mesh interface (named after the peer)
    std::string network;
    std::vector<ip::Prefix> addresses;
    std::string host_veth;
    std::optional<Mac> host_mac;
    std::uint32_t mtu = 0;
    bool default_route = false;  // carries the pod's default route
};

struct InferredPod {
    std::string name;
    std::vector<InferredInterface> interfaces;
};

struct Inference {
    std::vector<InferredNetwork> networks;
    std::vector<InferredPod> pods;
    // What the file cannot express or what planning it would still change, one
    // line each ("pod-1: route 10.0.0.0/8 via … is not expressed; it stays foreign").
    std::vector<std::string> notes;
};

Inference infer_topology(const State& state);
std::string to_pnet(const Inference& inference);
std::string to_pnet(const State& state);

}  // namespace podnetc::live
