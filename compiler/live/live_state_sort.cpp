#include "compiler/live/live_state_sort.hpp"

#include <algorithm>
#include <tuple>

namespace podnetc::live {

void sort_state(State& state) {
    std::sort(state.namespaces.begin(), state.namespaces.end(),
              [](const Netns& a, const Netns& b) { return a.name < b.name; });
    std::sort(state.links.begin(), state.links.end(),
              [](const Link& a, const Link& b) { return std::tie(a.netns, a.name) < std::tie(b.netns, b.name); });
    std::sort(state.addresses.begin(), state.addresses.end(), [](const Address& a, const Address& b) {
        return std::tie(a.netns, a.dev, a.local, a.peer) < std::tie(b.netns, b.dev, b.local, b.peer);
    });
    std::sort(state.routes.begin(), state.routes.end(), [](const Route& a, const Route& b) {
        return std::tie(a.netns, a.table, a.dst, a.metric, a.type, a.dev, a.gateway, a.scope) <
               std::tie(b.netns, b.table, b.dst, b.metric, b.type, b.dev, b.gateway, b.scope);
    });
    std::sort(state.neighbors.begin(), state.neighbors.end(), [](const Neighbor& a, const Neighbor& b) {
        return std::tie(a.netns, a.dev, a.dst) < std::tie(b.netns, b.dev, b.dst);
    });
}

}  // namespace podnetc::live
