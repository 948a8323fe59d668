// Where a command gets the live state from: a snapshot written by `show --json`
// (--state-from, no root needed) or the kernel. From the kernel, `last_applied` is
// the node's record in the state directory; a snapshot carries its own.
#pragma once

#include <optional>
#include <string>

#include "compiler/live/live_state.hpp"
#include "runtime/read/kernel_reader.hpp"

namespace podnetc::cli {

struct LiveInput {
    std::optional<std::string> snapshot_path;
    std::optional<std::string> only_netns;
    // The node whose applied record is loaded; nullopt: none.
    std::optional<std::string> node;
};

rt::Result<live::State> read_live_state(const LiveInput& input);

}  // namespace podnetc::cli
