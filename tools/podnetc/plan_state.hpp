// Where `podnetc plan` gets the live state from. SEAM: declared here, defined by
// the runtime (connected by the lead, see the planner's report): with a path, the
// snapshot written by `podnetc show --json` (compiler/live_state_json.hpp); without
// one, the kernel (the netlink reader, every namespace under /run/netns). In both
// cases `last_applied` is the record stored by the last successful apply (state
// directory), or nullopt when there is none. nullopt + `error` on failure.
#pragma once

#include <optional>
#include <string>

#include "compiler/live_state.hpp"

namespace podnetc::cli {

std::optional<live::State> read_live_state(const std::optional<std::string>& snapshot_path, std::string& error);

}  // namespace podnetc::cli
