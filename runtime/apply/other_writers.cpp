#include "runtime/apply/other_writers.hpp"

#include <algorithm>
#include <type_traits>

#include <fmt/format.h>
#include <linux/rtnetlink.h>

#include "runtime/netlink/rtnl_decode.hpp"

namespace podnetc::rt {
namespace {

std::string device_name(const IndexMap& links, const std::string& netns, std::int32_t ifindex) {
    return links.name_of(netns, ifindex).value_or(fmt::format("#{}", ifindex));
}

bool is_deletion(std::uint16_t type) { return type == RTM_DELADDR || type == RTM_DELROUTE || type == RTM_DELNEIGH; }

std::string key_text(const kernel::AddressKey& key) { return fmt::format("address {} dev {}", key.local.str(), key.dev); }
std::string key_text(const kernel::RouteKey& key) {
    std::string text = fmt::format("route {}", key.dst.str());
    if (key.table != kernel::kMainTable) text += fmt::format(" table {}", key.table);
    if (key.metric != 0) text += fmt::format(" metric {}", key.metric);
    return text;
}
std::string key_text(const kernel::NeighborKey& key) { return fmt::format("neighbour {} dev {}", key.dst.str(), key.dev); }

}  // namespace

std::optional<OtherWriterChange> decode_other_writer_change(const ForeignNotification& notification,
                                                            const IndexMap& links) {
    if (notification.message.size() < sizeof(nlmsghdr)) return std::nullopt;
    const auto& message = *reinterpret_cast<const nlmsghdr*>(notification.message.data());
    if (message.nlmsg_pid == 0 || message.nlmsg_len > notification.message.size()) return std::nullopt;
    OtherWriterChange change;
    change.netns = notification.netns;
    change.deleted = is_deletion(message.nlmsg_type);
    change.port = message.nlmsg_pid;
    const std::string& netns = notification.netns;
    if (auto address = decode_address(message)) {
        change.key = kernel::AddressKey{netns, device_name(links, netns, address->address.ifindex), address->address.local};
    } else if (auto route = decode_route(message)) {
        change.key = kernel::RouteKey{netns, route->route.table, route->route.dst, route->route.metric};
    } else if (auto neighbor = decode_neighbor(message)) {
        change.key = kernel::NeighborKey{netns, device_name(links, netns, neighbor->ifindex), neighbor->neighbor.dst};
    } else {
        return std::nullopt;
    }
    return change;
}

std::vector<std::size_t> ops_changed(const plan::Plan& plan, const OtherWriterChange& change) {
    std::vector<std::size_t> ops;
    for (std::size_t i = 0; i < plan.ops.size(); ++i) {
        const bool same = plan::visit_object(
            [&](const auto& object) {
                using T = std::decay_t<decltype(object)>;
                if constexpr (std::is_same_v<T, kernel::Address> || std::is_same_v<T, kernel::Route> ||
                              std::is_same_v<T, kernel::Neighbor>) {
                    const auto* key = std::get_if<decltype(kernel::key_of(object))>(&change.key);
                    return key != nullptr && *key == kernel::key_of(object);
                } else {
                    return false;
                }
            },
            plan.ops[i].step);
        if (same) ops.push_back(i);
    }
    return ops;
}

std::vector<std::string> namespaces_to_watch(const plan::Plan& plan, const live::State& before) {
    std::set<std::string> written;
    std::set<std::string> deleted;
    for (const plan::Op& op : plan.ops) {
        if (op.step.kind() == plan::StepKind::delete_netns) {
            deleted.insert(op.step.netns());
        } else {
            written.insert(op.step.netns());
        }
    }
    std::vector<std::string> watched;
    for (const live::Netns& ns : before.namespaces) {
        if (written.contains(ns.name) && !deleted.contains(ns.name)) watched.push_back(ns.name);
    }
    return watched;
}

std::string other_writer_text(const OtherWriterChange& change) {
    const std::string what = std::visit([](const auto& key) { return key_text(key); }, change.key);
    return fmt::format("another process (netlink port {}) {} {} in {} while the plan was applied",
                       change.port, change.deleted ? "deleted" : "added or changed", what,
                       change.netns.empty() ? std::string("host") : change.netns);
}

}  // namespace podnetc::rt
