// Lowering's working model: the IR's networks and pods plus what the checks need
// to point at (ranges of names and options, loop contexts). Built in two walks
// over the file (networks first, so that pods may name networks declared later),
// checked across objects, then turned into kernel objects.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/syntax/ast.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/lower/lower_expand.hpp"
#include "compiler/lower/lower_report.hpp"

namespace podnetc::lowering {

inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

struct Member {
    std::uint32_t pod = 0;
    std::uint32_t attachment = 0;
};

struct NetworkInfo {
    ir::Network net;
    ContextId context = 0;
    SourceRange name_range;
    SourceRange mode_range;     // the mode option's value
    SourceRange subnet_range;   // the subnet option's value
    SourceRange gateway_range;  // the gateway option's value; unknown for the route default
    SourceRange bridge_range;   // the bridge option's value, else the network's name
    bool has_mode = false;
    bool subnet_ok = false;  // net.subnet holds a valid subnet
    bool bridge_ok = false;  // bridge mode with a valid bridge name
    bool shared = false;     // outside every node block of a file with node blocks
    bool duplicate = false;  // a later declaration of an earlier name: reported, then ignored
    bool mesh_too_big = false;
    bool referenced = false;  // some interface names it (even one that was dropped)
    std::vector<Member> members;  // attachments of non-duplicate pods, in pod order
};

struct AttachmentInfo {
    std::uint32_t network = kNone;
    std::uint32_t member = kNone;  // index in the network's members
    SourceRange name_range;       // the interface name as written; else the declaration
    SourceRange host_veth_range;  // the host-veth value as written; else the declaration
    SourceRange default_route_range;
    std::vector<SourceRange> address_ranges;  // parallel to the attachment's addresses
    bool name_given = false;
    bool host_veth_given = false;
};

struct PodInfo {
    ir::Pod pod;
    ContextId context = 0;
    SourceRange name_range;
    std::vector<AttachmentInfo> attachments;  // parallel to pod.attachments
    bool duplicate = false;
};

struct Model {
    std::vector<NetworkInfo> networks;
    std::vector<PodInfo> pods;
    std::unordered_map<std::string, std::uint32_t> network_index;  // first declaration of each name
    std::unordered_map<std::string, std::uint32_t> pod_index;
    bool file_has_nodes = false;
    bool pods_incomplete = false;  // the pod walk stopped at the loop limit: "unused" would be wrong
};

// Walk 1: every network the node sees.
void read_networks(const ast::File& file, const ast::NodeDecl* node, Expander& expander, Reporter& reporter,
                   const Contexts& contexts, Model& model);
// Walk 2: every pod, its options and interfaces, resolved against the networks.
void read_pods(const ast::File& file, const ast::NodeDecl* node, Expander& expander, Reporter& reporter,
               const Contexts& contexts, Model& model);

// Checks across objects: names in the host namespace, addresses and gateways,
// overlapping subnets, meshes; warnings for unused networks (those shared by all
// nodes only when `warn_unused_shared`).
void check_model(Model& model, Reporter& reporter, const Contexts& contexts, bool warn_unused_shared);

// The kernel objects of a checked model, sorted (see ir.hpp); moves the model's
// networks and pods into the result.
ir::NodeIr build_ir(Model& model);

// Problems only visible among kernel objects (two objects with one identity),
// for what the model checks cannot see; run when everything else passed.
void check_kernel_objects(const ir::NodeIr& node, Reporter& reporter);

}  // namespace podnetc::lowering
