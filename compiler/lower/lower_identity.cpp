// The last line of defence: two kernel objects with one identity (a link name in a
// namespace, a route's destination in a namespace's main table, …) would make the
// apply fail half-way. The model checks should have caught every such case; this
// catches the ones nobody thought of, with both declarations named.
#include <fmt/format.h>

#include "compiler/lower/lower_model.hpp"

namespace podnetc::lowering {
namespace {

std::string where(std::string_view netns) {
    return netns.empty() ? std::string("the host namespace") : fmt::format("pod '{}'", netns);
}

// One report per declaration and kind of object: `kind` must be a literal.
void conflict(Reporter& reporter, std::string_view kind, SourceRange range, SourceRange other, std::string message) {
    if (Diagnostic* d = reporter.error(range, kind, 0, std::move(message))) {
        d->notes.push_back({other, "the other one comes from here"});
    }
}

}  // namespace

void check_kernel_objects(const ir::NodeIr& node, Reporter& reporter) {
    for (std::size_t i = 1; i < node.links.size(); ++i) {
        const ir::Link& a = node.links[i - 1];
        const ir::Link& b = node.links[i];
        if (a.netns == b.netns && a.name == b.name) {
            conflict(reporter, "kernel-link", b.range, a.range,
                     fmt::format("two interfaces named '{}' in {}", b.name, where(b.netns)));
        }
    }
    for (std::size_t i = 1; i < node.addresses.size(); ++i) {
        const ir::Address& a = node.addresses[i - 1];
        const ir::Address& b = node.addresses[i];
        if (a.netns == b.netns && a.dev == b.dev && a.local == b.local) {
            conflict(reporter, "kernel-address", b.range, a.range,
                     fmt::format("address {} is put on '{}' in {} twice", b.local.str(), b.dev, where(b.netns)));
        }
    }
    // Routes of one table are identified by destination (podnetc sets no metric).
    for (std::size_t i = 1; i < node.routes.size(); ++i) {
        const ir::Route& a = node.routes[i - 1];
        const ir::Route& b = node.routes[i];
        if (a.netns == b.netns && a.dst == b.dst) {
            conflict(reporter, "kernel-route", b.range, a.range,
                     fmt::format("two routes to {} in {} (dev {} and dev {})", b.dst.str(), where(b.netns), a.dev,
                                 b.dev));
        }
    }
    for (std::size_t i = 1; i < node.neighbors.size(); ++i) {
        const ir::Neighbor& a = node.neighbors[i - 1];
        const ir::Neighbor& b = node.neighbors[i];
        if (a.netns == b.netns && a.dev == b.dev && a.dst == b.dst) {
            conflict(reporter, "kernel-neighbor", b.range, a.range,
                     fmt::format("two neighbour entries for {} on '{}' in {}", b.dst.str(), b.dev, where(b.netns)));
        }
    }
}

}  // namespace podnetc::lowering
