// The cluster backend (docs/LANGUAGE.md, "Clusters"): the `cluster` line, each node's
// underlay from its `node` line, the pod subnets of every node, the checks across
// nodes, and the routes of one node towards the pods of all the others.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/lower/lower_report.hpp"
#include "compiler/syntax/ast.hpp"

namespace podnetc::lowering {

enum class Backend { none, host_gw };

// The subnet of a route or bridge network declared inside a node block.
struct PodSubnet {
    ip::Prefix subnet;
    SourceRange range;  // the subnet value
    std::string network;
};

struct ClusterNode {
    std::string name;
    SourceRange name_range;
    std::optional<ip::Address> underlay;
    SourceRange underlay_range;
    std::string dev;
    SourceRange dev_range;
    std::vector<PodSubnet> pod_subnets;  // read only when there is a backend
};

struct Cluster {
    Backend backend = Backend::none;
    SourceRange range;  // the `cluster` line
    std::vector<ClusterNode> nodes;  // in file order
};

// Reads and checks the cluster line and every node's underlay; with a backend, also
// every node's pod subnets and the checks across nodes (an underlay missing, one
// underlay address for two nodes, pod subnets of two nodes that overlap). Each
// problem is reported the same way whichever node is lowered.
Cluster read_cluster(const ast::File& file, Reporter& reporter, std::uint64_t max_loop_iterations);

// host-gw: on `node`, one owned route per pod subnet of every other node, via that
// node's underlay address out of this node's underlay device; and the node's
// underlay for the planner. Nothing without a backend. Keeps ir.routes sorted.
void add_cluster_routes(const Cluster& cluster, const std::string& node, ir::NodeIr& ir);

}  // namespace podnetc::lowering
