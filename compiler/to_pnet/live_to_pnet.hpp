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
// and pods are marked `adopt` where the language allows. Then the written file is
// lowered and planned against the state it was read from, and its notes say what
// that plan does besides the takeover, what the file leaves out (those objects stay
// as they are, foreign) and what it cannot express.
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
    // What the file cannot express, one line each ("host: veth vx leads to a
    // namespace without a name; not expressed").
    std::vector<std::string> notes;
};

Inference infer_topology(const State& state);
// The declarations of the inferred networks and pods, under the file's header
// comment; no notes.
std::string pnet_declarations(const Inference& inference);

struct AdoptingPnet {
    std::string text;                // the whole file, the notes as its closing comment
    std::vector<std::string> notes;  // the same notes, one line each, in that order
};
AdoptingPnet adopting_pnet(const State& state);
std::string to_pnet(const State& state);  // adopting_pnet(state).text

}  // namespace podnetc::live
