#include "compiler/emit/emit_common.hpp"

#include <set>

#include <fmt/format.h>

namespace podnetc::emit {
namespace {

template <typename Objects, typename Field>
void collect(const Objects& objects, Field field, std::set<std::string>& into) {
    for (const auto& object : objects) into.insert(object.*field);
}

// Appends `name` unless it is already in `order`.
void append_once(std::vector<std::string>& order, std::set<std::string>& seen, const std::string& name) {
    if (seen.insert(name).second) order.push_back(name);
}

}  // namespace

std::string_view netns_display_name(std::string_view netns) {
    return netns == ir::kHostNetns ? std::string_view{"host"} : netns;
}

std::string route_destination(const ip::Prefix& dst) {
    if (dst.is_default()) return "default";
    return dst.str();
}

std::string_view on_off(bool value) { return value ? "on" : "off"; }

std::vector<std::string> namespaces_in_print_order(const ir::NodeIr& node) {
    std::set<std::string> used;
    collect(node.links, &ir::Link::netns, used);
    collect(node.addresses, &ir::Address::netns, used);
    collect(node.routes, &ir::Route::netns, used);
    collect(node.neighbors, &ir::Neighbor::netns, used);

    std::vector<std::string> order;
    std::set<std::string> seen;
    const std::string host{ir::kHostNetns};
    if (used.contains(host)) append_once(order, seen, host);
    seen.insert(host);  // the host prints first or not at all
    for (const ir::Namespace& ns : node.namespaces) append_once(order, seen, ns.name);
    for (const std::string& name : used) append_once(order, seen, name);
    return order;
}

std::vector<std::string> pods_in_print_order(const ir::NodeIr& node) {
    std::set<std::string> used;
    collect(node.links, &ir::Link::pod, used);
    collect(node.addresses, &ir::Address::pod, used);
    collect(node.routes, &ir::Route::pod, used);
    collect(node.neighbors, &ir::Neighbor::pod, used);
    used.erase("");

    std::vector<std::string> order;
    std::set<std::string> seen;
    for (const ir::Pod& pod : node.pods) append_once(order, seen, pod.name);
    for (const std::string& name : used) append_once(order, seen, name);
    return order;
}

LinkIndex::LinkIndex(const ir::NodeIr& node) {
    for (const ir::Link& link : node.links) {
        links_.emplace(std::pair{std::string_view{link.netns}, std::string_view{link.name}}, &link);
    }
}

const ir::Link* LinkIndex::find(std::string_view netns, std::string_view name) const {
    const auto it = links_.find({netns, name});
    return it == links_.end() ? nullptr : it->second;
}

}  // namespace podnetc::emit
