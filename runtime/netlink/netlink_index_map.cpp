#include "runtime/netlink/netlink_index_map.hpp"

#include <algorithm>
#include <vector>

#include "compiler/objects/kernel_values.hpp"

namespace podnetc::rt {
namespace {

constexpr std::string_view kLoopbackName = "lo";

IndexMap::Entry entry_of(const live::Link& link) {
    IndexMap::Entry entry;
    entry.ifindex = link.ifindex;
    entry.group = link.group;
    if (link.kind == "veth") {
        entry.peer_netns = link.peer_netns;
        entry.peer_name = link.peer_name;
    }
    return entry;
}

}  // namespace

IndexMap::IndexMap(const live::State& live) {
    for (const live::Link& link : live.links) {
        space(link.netns).remembered[link.name] = link.ifindex;
    }
    refresh(live);
}

void IndexMap::refresh(const live::State& live) {
    for (auto& [name, space] : spaces_) {
        space.links.clear();
        space.current.clear();
    }
    for (const live::Link& link : live.links) add(link.netns, link.name, entry_of(link));
}

std::optional<std::int32_t> IndexMap::find(std::string_view netns, std::string_view name) const {
    const Entry* found = entry(netns, name);
    if (found == nullptr) return std::nullopt;
    return found->ifindex;
}

const IndexMap::Entry* IndexMap::entry(std::string_view netns, std::string_view name) const {
    const Space* s = find_space(netns);
    if (s == nullptr) return nullptr;
    const auto it = s->links.find(name);
    return it == s->links.end() ? nullptr : &it->second;
}

std::optional<std::string> IndexMap::name_of(std::string_view netns, std::int32_t ifindex) const {
    const Space* s = find_space(netns);
    if (s == nullptr) return std::nullopt;
    if (const auto it = s->current.find(ifindex); it != s->current.end()) return it->second;
    if (const auto it = s->last_names.find(ifindex); it != s->last_names.end()) return it->second;
    return std::nullopt;
}

std::int32_t IndexMap::choose(std::string_view netns, std::string_view name,
                              std::optional<std::int32_t> also_taken) const {
    const Space* s = find_space(netns);
    if (s == nullptr) return also_taken == 2 ? 3 : 2;  // a namespace holding only lo
    if (const auto it = s->remembered.find(name); it != s->remembered.end()) {
        const std::int32_t wanted = it->second;
        if (!s->current.contains(wanted) && also_taken != wanted) return wanted;
    }
    std::int32_t next = s->highest + 1;
    if (also_taken == next) ++next;
    return next;
}

void IndexMap::add(std::string_view netns, std::string_view name, Entry entry) {
    Space& s = space(netns);
    erase(s, name);
    s.current[entry.ifindex] = std::string{name};
    s.last_names[entry.ifindex] = std::string{name};
    s.highest = std::max(s.highest, entry.ifindex);
    s.links[std::string{name}] = std::move(entry);
}

void IndexMap::set_group(std::string_view netns, std::string_view name, std::uint32_t group) {
    Space& s = space(netns);
    if (const auto it = s.links.find(name); it != s.links.end()) it->second.group = group;
}

void IndexMap::remove(std::string_view netns, std::string_view name) {
    Space& s = space(netns);
    const auto it = s.links.find(name);
    if (it == s.links.end()) return;
    const Entry gone = it->second;
    erase(s, name);
    if (!gone.peer_name.empty()) erase(space(gone.peer_netns), gone.peer_name);
}

void IndexMap::remove_group(std::string_view netns, std::uint32_t group) {
    std::vector<std::string> names;
    for (const auto& [name, e] : space(netns).links) {
        if (e.group == group) names.push_back(name);
    }
    for (const std::string& name : names) remove(netns, name);
}

void IndexMap::namespace_created(std::string_view netns) {
    Space& s = space(netns);
    s.links.clear();
    s.current.clear();
    // A new namespace is born with lo, always at LOOPBACK_IFINDEX: an undo that
    // restores a re-created namespace's lo addresses it by that index.
    add(netns, kLoopbackName, Entry{kernel::kLoopbackIfindex, 0, {}, {}});
    // New links stay clear of the indexes remembered for links a rollback may
    // recreate in it.
    s.highest = 1;
    for (const auto& [name, ifindex] : s.remembered) s.highest = std::max(s.highest, ifindex);
}

void IndexMap::namespace_deleted(std::string_view netns) {
    std::vector<std::pair<std::string, std::string>> peers;
    for (const auto& [name, e] : space(netns).links) {
        if (!e.peer_name.empty() && e.peer_netns != netns) peers.emplace_back(e.peer_netns, e.peer_name);
    }
    for (const auto& [peer_netns, peer_name] : peers) erase(space(peer_netns), peer_name);
    Space& s = space(netns);
    s.links.clear();
    s.current.clear();
}

IndexMap::Space& IndexMap::space(std::string_view netns) {
    auto it = spaces_.find(netns);
    if (it == spaces_.end()) it = spaces_.emplace(std::string{netns}, Space{}).first;
    return it->second;
}

const IndexMap::Space* IndexMap::find_space(std::string_view netns) const {
    const auto it = spaces_.find(netns);
    return it == spaces_.end() ? nullptr : &it->second;
}

void IndexMap::erase(Space& s, std::string_view name) {
    const auto it = s.links.find(name);
    if (it == s.links.end()) return;
    const auto by_index = s.current.find(it->second.ifindex);
    if (by_index != s.current.end() && by_index->second == name) s.current.erase(by_index);
    s.links.erase(it);
}

}  // namespace podnetc::rt
