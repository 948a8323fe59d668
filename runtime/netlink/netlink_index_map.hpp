// Which ifindex each link has, per network namespace, while a plan is encoded.
//
// The encoder pins the ifindex of every link it creates (RTM_NEWLINK honours
// ifi_index, also in a veth peer's header), so that later messages of the same
// batch (addresses, routes with RTA_OIF, neighbours, setlink by index) can be
// encoded before the creation was acknowledged: a whole pod's work goes out in
// one sendmsg. The allocation is deterministic (see choose()), so the netlink text
// of a plan made from a snapshot is the same on every run.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/live/live_state.hpp"

namespace podnetc::rt {

class IndexMap {
public:
    // A link as the map knows it: enough to follow deletions (a veth takes its
    // peer along, a group delete takes every link of the group).
    struct Entry {
        std::int32_t ifindex = 0;
        std::uint32_t group = 0;
        std::string peer_netns;  // veth: the other end, else ""
        std::string peer_name;
    };

    IndexMap() = default;
    // The links of `live`. Each link's live ifindex is also remembered as the one to
    // give it back if it is deleted and created again (rollback restores the
    // identical state).
    explicit IndexMap(const live::State& live);

    // Replaces what exists with a fresh reading of the kernel (e.g. before a
    // rollback), keeping the remembered indexes and the allocation high-water marks.
    void refresh(const live::State& live);

    std::optional<std::int32_t> find(std::string_view netns, std::string_view name) const;
    const Entry* entry(std::string_view netns, std::string_view name) const;
    // The name of the link that has, or last had, this index (for text output).
    std::optional<std::string> name_of(std::string_view netns, std::int32_t ifindex) const;

    // The index a new link `name` in `netns` gets: the one it had in the live state
    // when that is free again, else one above the highest index in use or handed
    // out in that namespace (every namespace holds at least lo = 1). `also_taken`
    // is an index chosen for the same message but not yet added (a veth whose ends
    // are in one namespace).
    std::int32_t choose(std::string_view netns, std::string_view name,
                        std::optional<std::int32_t> also_taken = std::nullopt) const;

    // What the encoder reports once a message is written (never before, so that a
    // message that did not fit leaves the map unchanged).
    void add(std::string_view netns, std::string_view name, Entry entry);
    void set_group(std::string_view netns, std::string_view name, std::uint32_t group);
    void remove(std::string_view netns, std::string_view name);  // and a veth's peer
    void remove_group(std::string_view netns, std::uint32_t group);
    void namespace_created(std::string_view netns);  // holds only lo (1), whatever was known
    void namespace_deleted(std::string_view netns);  // its links, and peers elsewhere

private:
    struct Space {
        std::map<std::string, Entry, std::less<>> links;
        std::map<std::int32_t, std::string> current;     // ifindex -> name, links that exist
        std::map<std::int32_t, std::string> last_names;  // ifindex -> name, ever
        std::map<std::string, std::int32_t, std::less<>> remembered;  // live ifindex by name
        std::int32_t highest = 1;                        // lo
    };

    Space& space(std::string_view netns);
    const Space* find_space(std::string_view netns) const;
    void erase(Space& space, std::string_view name);

    std::map<std::string, Space, std::less<>> spaces_;
};

}  // namespace podnetc::rt
