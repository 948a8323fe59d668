// Raw per-namespace dumps -> the name-based live::State: ifindexes resolved to
// device names, nsids to namespace names, kernel noise left out, and every list
// sorted so that nothing depends on ifindex or dump order. Pure.
//
// Left out on purpose:
//  - routes of the local table (255) with protocol kernel: the kernel derives them
//    one to one from the addresses (type local/broadcast), so they add nothing and
//    podnetc never writes them; anything else in that table is kept.
//  - neighbours that are not NUD_PERMANENT: learned entries come and go with traffic.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/live/live_state.hpp"
#include "runtime/netlink/rtnl_records.hpp"

namespace podnetc::rt {

struct AssembleInput {
    std::vector<live::Netns> namespaces;  // every namespace that was looked at, host "" included
    std::vector<NetnsDump> dumps;         // one per readable namespace
    std::optional<bool> ip_forward;
    // When set, only this namespace's objects (and entry) end up in the state; the
    // other dumps serve to resolve peer names.
    std::optional<std::string> only_netns;
};

// The name used for a peer in a namespace that has no name under /run/netns.
inline constexpr std::string_view kUnnamedNetns = "?";

live::State assemble_live_state(AssembleInput input);

}  // namespace podnetc::rt
