// `compile --emit dot`: a Graphviz picture of the node. One cluster per namespace
// (the host, then every pod). In each, bridges are filled boxes and the namespace's
// own IP stack is an ellipse listing its addresses; every veth pair is one edge,
// labelled with both interface names, from the bridge its end is a port of (or the
// stack it ends in) to the other side. Left to right, so that 110 pods stack up as a
// readable column beside the host.
#include <iterator>
#include <map>
#include <set>

#include <fmt/format.h>

#include "compiler/emit/emit.hpp"
#include "compiler/emit/emit_common.hpp"

namespace podnetc {
namespace {

using Out = std::back_insert_iterator<std::string>;

// A DOT double-quoted string; `\n` in labels is written by the caller as "\\n".
std::string dot_string(std::string_view text) {
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

// Label lines joined with DOT's centred line break; each line is escaped on its own.
std::string label(const std::vector<std::string>& lines) {
    std::string joined = "\"";
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i != 0) joined += "\\n";
        const std::string one = dot_string(lines[i]);
        joined += one.substr(1, one.size() - 2);
    }
    joined += '"';
    return joined;
}

std::string stack_id(std::string_view netns) { return dot_string(fmt::format("ns:{}", netns)); }

std::string bridge_id(std::string_view netns, std::string_view name) {
    return dot_string(fmt::format("link:{}/{}", netns, name));
}

class DotWriter {
public:
    explicit DotWriter(const ir::NodeIr& node) : node_(node), links_(node) {
        for (const ir::Link& link : node.links) {
            if (link.kind == kernel::kBridge) bridges_.emplace(link.netns, link.name);
        }
    }

    std::string write() {
        const std::string title = node_.node.empty() ? std::string{"single-node topology"}
                                                     : fmt::format("node {}", node_.node);
        fmt::format_to(out_,
                       "graph podnetc {{\n"
                       "  graph [label={}, labelloc=t, rankdir=LR, ranksep=1.2, nodesep=0.25, "
                       "fontname=\"Helvetica\"];\n"
                       "  node [fontname=\"Helvetica\", fontsize=10];\n"
                       "  edge [fontname=\"Helvetica\", fontsize=9];\n",
                       dot_string(fmt::format("podnetc: {}", title)));
        const std::string edges = veth_edges();
        const auto links = emit::group_by(node_.links, &ir::Link::netns);
        const auto addresses = emit::group_by(node_.addresses, &ir::Address::netns);
        std::size_t cluster = 0;
        for (const std::string& netns : emit::namespaces_in_print_order(node_)) {
            fmt::format_to(out_, "\n  subgraph cluster_{} {{\n    label={};\n", cluster++,
                           dot_string(emit::netns_display_name(netns)));
            std::map<std::string_view, std::vector<std::string>> bridge_addresses;
            std::vector<std::string> stack_lines;
            for (const ir::Address* address : emit::group_of(addresses, netns)) {
                if (bridges_.contains({address->netns, address->dev})) {
                    bridge_addresses[address->dev].push_back(address->local.str());
                } else {
                    stack_lines.push_back(fmt::format("{} {}", address->dev, address->local.str()));
                }
            }
            for (const ir::Link* link : emit::group_of(links, netns)) {
                if (link->kind != kernel::kBridge) continue;
                std::vector<std::string> lines{fmt::format("{} (bridge)", link->name)};
                for (const std::string& address : bridge_addresses[link->name]) lines.push_back(address);
                fmt::format_to(out_, "    {} [shape=box, style=filled, fillcolor=\"#dde8f5\", label={}];\n",
                               bridge_id(netns, link->name), label(lines));
            }
            const bool host = netns == ir::kHostNetns;
            if (!host || used_stacks_.contains(netns) || !stack_lines.empty()) {
                if (host) stack_lines.insert(stack_lines.begin(), "IP routing");
                if (stack_lines.empty()) stack_lines.emplace_back("no address");
                fmt::format_to(out_, "    {} [shape=ellipse, label={}];\n", stack_id(netns), label(stack_lines));
            }
            fmt::format_to(out_, "  }}\n");
        }
        if (!edges.empty()) fmt::format_to(out_, "\n{}", edges);
        fmt::format_to(out_, "}}\n");
        return std::move(text_);
    }

private:
    // The node a veth end attaches to: the bridge it is a port of, else its namespace.
    std::string endpoint(const ir::Link& end) {
        if (!end.master.empty() && bridges_.contains({end.netns, end.master})) return bridge_id(end.netns, end.master);
        used_stacks_.insert(end.netns);
        return stack_id(end.netns);
    }

    // One edge per veth pair, host end (else primary end) first.
    std::string veth_edges() {
        std::string edges;
        std::set<std::pair<std::string, std::string>> drawn;
        for (const ir::Link& link : node_.links) {
            if (link.kind != kernel::kVeth || drawn.contains({link.netns, link.name})) continue;
            drawn.emplace(link.netns, link.name);
            drawn.emplace(link.peer_netns, link.peer_name);
            const ir::Link* peer = links_.peer_of(link);
            ir::Link assumed;
            if (peer == nullptr) {
                assumed.netns = link.peer_netns;
                assumed.name = link.peer_name;
                peer = &assumed;
            }
            const bool link_first = link.netns == ir::kHostNetns ||
                                    (peer->netns != ir::kHostNetns && (link.primary || !peer->primary));
            const ir::Link& a = link_first ? link : *peer;
            const ir::Link& b = link_first ? *peer : link;
            edges += fmt::format("  {} -- {} [label={}];\n", endpoint(a), endpoint(b),
                                 dot_string(fmt::format("{} <-> {}", a.name, b.name)));
        }
        return edges;
    }

    const ir::NodeIr& node_;
    emit::LinkIndex links_;
    std::set<std::pair<std::string, std::string>> bridges_;
    std::set<std::string> used_stacks_;
    std::string text_;
    Out out_{text_};
};

}  // namespace

std::string emit_dot(const ir::NodeIr& node) { return DotWriter{node}.write(); }

}  // namespace podnetc
