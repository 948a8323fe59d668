#include "runtime/read/snapshot_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "compiler/live/live_state_json.hpp"

namespace podnetc::rt {

live::State restrict_to_netns(live::State state, const std::string& netns) {
    auto other = [&](const auto& object) { return object.netns != netns; };
    std::erase_if(state.namespaces, [&](const live::Netns& n) { return n.name != netns; });
    std::erase_if(state.links, other);
    std::erase_if(state.addresses, other);
    std::erase_if(state.routes, other);
    std::erase_if(state.neighbors, other);
    if (!netns.empty()) state.ip_forward.reset();
    return state;
}

Result<live::State> SnapshotReader::read_state(const ReadOptions& options) {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return fail(errno, fmt::format("read snapshot {}", path_));
    std::ostringstream text;
    text << in.rdbuf();
    auto state = live::from_json(text.str());
    if (!state) return fail(0, fmt::format("{}: {}", path_, state.error()));
    if (!options.only_netns) return std::move(*state);
    const bool known = std::any_of(state->namespaces.begin(), state->namespaces.end(),
                                   [&](const live::Netns& n) { return n.name == *options.only_netns; });
    if (!known) return fail_plain(ENOENT, fmt::format("{}: there is no namespace '{}'", path_, *options.only_netns));
    return restrict_to_netns(std::move(*state), *options.only_netns);
}

}  // namespace podnetc::rt
