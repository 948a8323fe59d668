// Small pieces shared by the IR printers (emit_*.cpp): how a namespace is named in
// human-facing output, how a route destination reads, and in which order the
// namespaces and pods of a node are printed.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace podnetc::emit {

// The host namespace ("" in the IR) prints as "host"; a pod's namespace as its name.
std::string_view netns_display_name(std::string_view netns);

// "default" for 0.0.0.0/0, else "a.b.c.d/len".
std::string route_destination(const ip::Prefix& dst);

// "on" / "off", as iproute2 prints boolean settings.
std::string_view on_off(bool value);

// Every namespace that holds an object, in print order: the host first (if it holds
// anything), then the IR's namespaces in IR order, then any namespace an object names
// that the IR does not list, sorted by name.
std::vector<std::string> namespaces_in_print_order(const ir::NodeIr& node);

// Every pod an object exists for, in print order: the IR's pods in IR order, then any
// other non-empty `pod` an object names, sorted. Node-level objects (pod "") are not
// a pod.
std::vector<std::string> pods_in_print_order(const ir::NodeIr& node);

// Links by (namespace, name), to find a veth's other end without a linear search
// (a node may hold thousands of links). Views into the NodeIr, which must outlive it.
class LinkIndex {
public:
    explicit LinkIndex(const ir::NodeIr& node);
    // The link named `name` in namespace `netns`, or nullptr.
    const ir::Link* find(std::string_view netns, std::string_view name) const;
    // The other end of a veth, or nullptr when the IR does not list it.
    const ir::Link* peer_of(const ir::Link& link) const { return find(link.peer_netns, link.peer_name); }

private:
    std::map<std::pair<std::string_view, std::string_view>, const ir::Link*> links_;
};

// Objects grouped by one of their string fields (`&ir::Route::netns`, `&ir::Link::pod`),
// each group in IR order. Views into `objects`, which must outlive the result.
template <typename T>
using Groups = std::map<std::string_view, std::vector<const T*>>;

// `field` may be a member of a base of T (the kernel object a desired one wraps).
template <typename T, typename Base>
Groups<T> group_by(const std::vector<T>& objects, std::string Base::*field) {
    Groups<T> groups;
    for (const T& object : objects) groups[object.*field].push_back(&object);
    return groups;
}

// The group of `key`, or an empty one.
template <typename T>
const std::vector<const T*>& group_of(const Groups<T>& groups, std::string_view key) {
    static const std::vector<const T*> none;
    const auto it = groups.find(key);
    return it == groups.end() ? none : it->second;
}

// The IR's counts as words, e.g. "2 pods" / "1 pod".

}  // namespace podnetc::emit
