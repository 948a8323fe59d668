#include "compiler/lower/lower_cluster.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "compiler/lower/lower_model.hpp"
#include "compiler/lower/lower_options.hpp"
#include "compiler/lower/lower_values.hpp"

namespace podnetc::lowering {
namespace {

constexpr std::string_view kBackends = "host-gw";

class ClusterReader {
public:
    ClusterReader(const ast::File& file, Reporter& reporter, std::uint64_t max_loop_iterations)
        : file_(file), reporter_(reporter), expander_(reporter, contexts_, max_loop_iterations),
          max_loop_iterations_(max_loop_iterations) {}

    Cluster read() {
        Cluster cluster;
        for (std::size_t i = 0; i < file_.clusters.size(); ++i) {
            if (i == 0) {
                read_backend(file_.clusters[0], cluster);
            } else if (Diagnostic* d = reporter_.fixed_error(file_.clusters[i].range, "cluster-duplicate",
                                                             "a second 'cluster' declaration")) {
                d->notes.push_back({file_.clusters[0].range, "the first is here; a file has one"});
            }
        }
        for (const ast::Decl& decl : file_.decls) {
            const auto* node = std::get_if<ast::NodeDecl>(&decl.node);
            if (node == nullptr || !node->name.is_literal()) continue;
            cluster.nodes.push_back(read_node(*node, cluster.backend != Backend::none));
        }
        check_underlays(cluster);
        if (cluster.backend != Backend::none) {
            check_backend_needs(cluster);
            check_pod_subnets(cluster);
        }
        return cluster;
    }

private:
    void read_backend(const ast::ClusterDecl& decl, Cluster& cluster) {
        ReadOptions options = read_options(decl.options, OptionOwner::cluster, expander_, reporter_, 0);
        cluster.range = decl.range;
        const OptionUse* use = options.first(ClusterKey::backend);
        if (use == nullptr) {
            if (Diagnostic* d = reporter_.fixed_error(decl.range, "cluster-no-backend",
                                                      "'cluster' names no backend")) {
                d->notes.push_back({SourceRange{}, "write `cluster backend host-gw`"});
            }
            return;
        }
        if (!use->value) return;
        const Located& value = *use->value;
        if (value.text == "host-gw") {
            cluster.backend = Backend::host_gw;
            return;
        }
        Diagnostic* d = value.text == "vxlan"
                            ? reporter_.fixed_error(value.range, "cluster-backend",
                                                    "the vxlan backend is not supported yet")
                            : reporter_.fixed_error(value.range, "cluster-backend",
                                                    fmt::format("unknown backend '{}'", value.text));
        if (d != nullptr) d->notes.push_back({SourceRange{}, fmt::format("the backends are: {}", kBackends)});
    }

    ClusterNode read_node(const ast::NodeDecl& decl, bool with_subnets) {
        ClusterNode node;
        node.name = decl.name.literal_text();
        node.name_range = decl.name.range;
        ReadOptions options = read_options(decl.options, OptionOwner::node, expander_, reporter_, 0);
        ValueReader values(reporter_, 0);
        const OptionUse* underlay = options.first(NodeKey::underlay);
        const OptionUse* dev = options.first(NodeKey::dev);
        if (underlay != nullptr && underlay->value) {
            node.underlay = values.address(*underlay->value, "underlay address");
            node.underlay_range = underlay->value->range;
        }
        if (dev != nullptr && dev->value) {
            node.dev = values.ifname(*dev->value).value_or("");
            node.dev_range = dev->value->range;
        }
        if (underlay != nullptr && dev == nullptr) {
            if (Diagnostic* d = reporter_.fixed_error(
                    underlay->option->range, "underlay-no-dev",
                    fmt::format("node '{}' names its underlay address but not its device", node.name))) {
                d->notes.push_back({SourceRange{}, "write `underlay ADDRESS dev IFNAME`"});
            }
        }
        if (dev != nullptr && underlay == nullptr) {
            reporter_.fixed_error(dev->option->range, "dev-no-underlay",
                                  "'dev' names the underlay's device: it needs `underlay ADDRESS` before it");
        }
        if (with_subnets) node.pod_subnets = pod_subnets(decl);
        return node;
    }

    // The subnets of the route and bridge networks declared in the node's block. Their
    // problems are the business of that node's own lowering: read here without a word.
    std::vector<PodSubnet> pod_subnets(const ast::NodeDecl& decl) const {
        Contexts contexts;
        Reporter quiet(contexts);
        Expander expander(quiet, contexts, max_loop_iterations_);
        Model model;
        read_networks(file_, &decl, expander, quiet, contexts, model);
        std::vector<PodSubnet> subnets;
        for (const NetworkInfo& network : model.networks) {
            if (network.shared || network.duplicate || !network.subnet_ok || !network.has_mode ||
                network.net.mode == ir::Mode::mesh) {
                continue;
            }
            subnets.push_back(PodSubnet{network.net.subnet, network.subnet_range, network.net.name});
        }
        return subnets;
    }

    void check_underlays(const Cluster& cluster) {
        std::unordered_map<ip::Address, const ClusterNode*> seen;
        for (const ClusterNode& node : cluster.nodes) {
            if (!node.underlay) continue;
            const auto [it, inserted] = seen.try_emplace(*node.underlay, &node);
            if (inserted) continue;
            if (Diagnostic* d = reporter_.fixed_error(
                    node.underlay_range, "underlay-duplicate",
                    fmt::format("nodes '{}' and '{}' have one underlay address {}", it->second->name, node.name,
                                node.underlay->str()))) {
                d->notes.push_back({it->second->underlay_range, fmt::format("node '{}' has it here", it->second->name)});
            }
        }
    }

    void check_backend_needs(const Cluster& cluster) {
        if (cluster.nodes.empty()) {
            reporter_.fixed_error(cluster.range, "cluster-no-nodes",
                                  "'cluster backend host-gw' needs node blocks: it routes each node's pods to "
                                  "the other nodes");
        }
        for (const ClusterNode& node : cluster.nodes) {
            if (node.underlay_range.known()) continue;  // present, or reported as malformed
            if (Diagnostic* d = reporter_.fixed_error(node.name_range, "cluster-no-underlay",
                                                      fmt::format("node '{}' has no underlay", node.name))) {
                d->notes.push_back({cluster.range, "the cluster backend routes every node's pods to the other "
                                                   "nodes' underlay addresses"});
                d->notes.push_back({SourceRange{}, fmt::format("write `node {} underlay ADDRESS dev IFNAME {{ … }}`",
                                                               node.name)});
            }
        }
    }

    // Prefixes nest or are disjoint: in address order, one that overlaps an earlier
    // one overlaps the earlier one that reaches furthest.
    void check_pod_subnets(const Cluster& cluster) {
        struct Entry {
            const PodSubnet* subnet;
            const ClusterNode* node;
            std::size_t order;  // the node's place in the file
        };
        std::vector<Entry> entries;
        for (std::size_t n = 0; n < cluster.nodes.size(); ++n) {
            for (const PodSubnet& s : cluster.nodes[n].pod_subnets) entries.push_back({&s, &cluster.nodes[n], n});
        }
        std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
            return std::tie(a.subnet->subnet.addr, a.subnet->subnet.len, a.order) <
                   std::tie(b.subnet->subnet.addr, b.subnet->subnet.len, b.order);
        });
        const Entry* furthest = nullptr;
        for (const Entry& entry : entries) {
            if (furthest != nullptr && furthest->subnet->subnet.overlaps(entry.subnet->subnet) &&
                furthest->node != entry.node) {
                const auto [first, later] = furthest->order < entry.order ? std::pair{furthest, &entry}
                                                                          : std::pair{&entry, furthest};
                report_overlap(*first, *later);
            }
            if (furthest == nullptr || !furthest->subnet->subnet.contains(entry.subnet->subnet.addr)) furthest = &entry;
        }
    }

    template <typename Entry>
    void report_overlap(const Entry& first, const Entry& later) {
        Diagnostic* d = reporter_.fixed_error(
            later.subnet->range, "cluster-subnet-overlap",
            fmt::format("pod subnet {} of node '{}' overlaps pod subnet {} of node '{}'", later.subnet->subnet.str(),
                        later.node->name, first.subnet->subnet.str(), first.node->name));
        if (d == nullptr) return;
        d->notes.push_back({first.subnet->range, fmt::format("network '{}' of node '{}' has it here",
                                                             first.subnet->network, first.node->name)});
        d->notes.push_back({SourceRange{}, "host-gw routes each pod subnet to one node"});
    }

    const ast::File& file_;
    Reporter& reporter_;
    Contexts contexts_;
    Expander expander_;
    std::uint64_t max_loop_iterations_;
};

auto route_order(const ir::Route& r) { return std::tie(r.netns, r.dst.addr, r.dst.len, r.dev); }

}  // namespace

Cluster read_cluster(const ast::File& file, Reporter& reporter, std::uint64_t max_loop_iterations) {
    return ClusterReader(file, reporter, max_loop_iterations).read();
}

void add_cluster_routes(const Cluster& cluster, const std::string& node, ir::NodeIr& ir) {
    if (cluster.backend == Backend::none) return;
    const auto self = std::find_if(cluster.nodes.begin(), cluster.nodes.end(),
                                   [&](const ClusterNode& n) { return n.name == node; });
    if (self == cluster.nodes.end() || !self->underlay || self->dev.empty()) return;
    std::vector<ir::Route> routes;
    for (const ClusterNode& other : cluster.nodes) {
        if (&other == &*self || !other.underlay) continue;
        for (const PodSubnet& s : other.pod_subnets) {
            ir::Route route = ir::owned_route(std::string(ir::kHostNetns), s.subnet, *other.underlay, self->dev,
                                              kernel::kScopeUniverse, false, std::nullopt, "", false, s.range);
            route.remote_node = other.name;
            routes.push_back(std::move(route));
        }
    }
    const auto less = [](const ir::Route& a, const ir::Route& b) { return route_order(a) < route_order(b); };
    std::sort(routes.begin(), routes.end(), less);
    // The host's routes come first (ir.hpp); the new ones merge into them.
    const auto host_end = std::find_if(ir.routes.begin(), ir.routes.end(),
                                       [](const ir::Route& r) { return r.netns != ir::kHostNetns; });
    const auto merged = static_cast<std::ptrdiff_t>(host_end - ir.routes.begin());
    ir.routes.insert(host_end, std::make_move_iterator(routes.begin()), std::make_move_iterator(routes.end()));
    std::inplace_merge(ir.routes.begin(), ir.routes.begin() + merged,
                       ir.routes.begin() + merged + static_cast<std::ptrdiff_t>(routes.size()), less);
    ir.underlay = ir::Underlay{*self->underlay, self->dev, self->dev_range};
}

}  // namespace podnetc::lowering
