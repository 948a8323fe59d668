#include "compiler/lower/lower.hpp"

#include <unordered_set>

#include <fmt/format.h>

#include "compiler/lower/lower_cluster.hpp"
#include "compiler/lower/lower_expand.hpp"
#include "compiler/lower/lower_model.hpp"
#include "compiler/lower/lower_report.hpp"

namespace podnetc {
namespace {

using lowering::Contexts;
using lowering::Reporter;

const ast::NodeDecl* find_node(const ast::File& file, std::string_view name) {
    for (const ast::Decl& decl : file.decls) {
        const auto* node = std::get_if<ast::NodeDecl>(&decl.node);
        if (node != nullptr && node->name.is_literal() && node->name.literal_text() == name) return node;
    }
    return nullptr;
}

std::string join(const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
    return text;
}

void report_unknown_node(const std::vector<std::string>& names, const LowerOptions& options,
                         Diagnostics& diagnostics) {
    if (options.node.empty()) {
        Diagnostic& d = diagnostics.error(SourceRange{}, "this file describes several nodes; choose one with --node NAME");
        d.notes.push_back({SourceRange{}, fmt::format("the nodes are: {}", join(names))});
        return;
    }
    Diagnostic& d = diagnostics.error(SourceRange{}, fmt::format("this file describes no node '{}'", options.node));
    d.notes.push_back({SourceRange{}, fmt::format("the nodes are: {}", join(names))});
    if (const std::string close = closest_match(options.node, names); !close.empty()) {
        d.notes.push_back({SourceRange{}, fmt::format("did you mean '{}'?", close)});
    }
    if (options.node_from_hostname) {
        d.notes.push_back({SourceRange{}, fmt::format("'{}' is this machine's hostname, the default; choose a "
                                                      "node with --node NAME (or $PODNETC_NODE)",
                                                      options.node)});
    }
}

// A shared network's name and whether this node's pods use it.
struct SharedNetwork {
    std::string name;
    SourceRange range;
    bool used = false;
};

struct NodeResult {
    std::optional<ir::NodeIr> ir;
    std::vector<SharedNetwork> shared;
};

NodeResult lower_node(const ast::File& file, const ast::NodeDecl* node, bool warn_unused_shared,
                      std::uint64_t max_loop_iterations, Diagnostics& diagnostics) {
    Contexts contexts;
    Reporter reporter(contexts);
    if (file.incomplete) reporter.parts_left_out();
    lowering::check_structure(file, reporter);
    const lowering::Cluster cluster = lowering::read_cluster(file, reporter, max_loop_iterations);
    lowering::Model model;
    lowering::Expander expander(reporter, contexts, max_loop_iterations);
    lowering::read_networks(file, node, expander, reporter, contexts, model);
    lowering::read_pods(file, node, expander, reporter, contexts, model);
    model.pods_incomplete = expander.stopped();
    lowering::check_model(model, reporter, contexts, warn_unused_shared);

    NodeResult result;
    for (const lowering::NetworkInfo& network : model.networks) {
        if (network.shared && !network.duplicate) {
            result.shared.push_back({network.net.name, network.name_range, network.referenced});
        }
    }
    if (!reporter.has_errors()) {
        ir::NodeIr ir = lowering::build_ir(model);
        if (node != nullptr) lowering::add_cluster_routes(cluster, node->name.literal_text(), ir);
        lowering::check_kernel_objects(ir, reporter);
        if (!reporter.has_errors()) result.ir = std::move(ir);
    }
    reporter.flush(diagnostics);
    return result;
}

// Everything that makes two diagnostics the same report.
std::string identity(const Diagnostic& d) {
    std::string key = fmt::format("{}|{}|{}|{}|{}", static_cast<int>(d.severity), d.range.file, d.range.offset,
                                  d.range.length, d.message);
    for (const DiagnosticNote& note : d.notes) {
        fmt::format_to(std::back_inserter(key), "|{}:{}:{}:{}", note.range.file, note.range.offset,
                       note.range.length, note.message);
    }
    return key;
}

}  // namespace

std::vector<std::string> node_names(const ast::File& file) {
    std::vector<std::string> names;
    std::unordered_set<std::string> seen;
    for (const ast::Decl& decl : file.decls) {
        const auto* node = std::get_if<ast::NodeDecl>(&decl.node);
        if (node == nullptr || !node->name.is_literal()) continue;
        std::string name = node->name.literal_text();
        if (seen.insert(name).second) names.push_back(std::move(name));
    }
    return names;
}

std::optional<ir::NodeIr> lower(const ast::File& file, const LowerOptions& options, Diagnostics& diagnostics) {
    const std::vector<std::string> names = node_names(file);
    const ast::NodeDecl* node = nullptr;
    if (!names.empty()) {
        node = find_node(file, options.node);
        if (node == nullptr) {
            report_unknown_node(names, options, diagnostics);
            return std::nullopt;
        }
    }
    NodeResult result = lower_node(file, node, false, options.max_loop_iterations, diagnostics);
    if (result.ir) result.ir->node = names.empty() ? std::string{} : options.node;
    return std::move(result.ir);
}

void check_all_nodes(const ast::File& file, Diagnostics& diagnostics) {
    const std::vector<std::string> names = node_names(file);
    if (names.empty()) {
        lower_node(file, nullptr, true, LowerOptions{}.max_loop_iterations, diagnostics);
        return;
    }
    std::unordered_set<std::string> reported;
    std::vector<SharedNetwork> shared;
    for (const std::string& name : names) {
        Diagnostics one;
        NodeResult result = lower_node(file, find_node(file, name), false, LowerOptions{}.max_loop_iterations, one);
        for (const Diagnostic& d : one.all()) {
            if (!reported.insert(identity(d)).second) continue;
            Diagnostic& copy = d.severity == Severity::error ? diagnostics.error(d.range, d.message)
                                                             : diagnostics.warning(d.range, d.message);
            copy.notes = d.notes;
        }
        if (shared.empty()) {
            shared = std::move(result.shared);
        } else {
            for (std::size_t i = 0; i < shared.size() && i < result.shared.size(); ++i) {
                shared[i].used = shared[i].used || result.shared[i].used;
            }
        }
    }
    for (const SharedNetwork& network : shared) {
        if (network.used) continue;
        Diagnostic& d = diagnostics.warning(network.range,
                                            fmt::format("network '{}' is not used by any pod of any node", network.name));
        d.notes.push_back({SourceRange{}, fmt::format("it is declared outside the node blocks, so every node ({}) "
                                                      "has it",
                                                      join(names))});
    }
}

}  // namespace podnetc
