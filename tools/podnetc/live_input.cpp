#include "tools/podnetc/live_input.hpp"

#include "runtime/read/snapshot_reader.hpp"
#include "runtime/state/state_dir.hpp"
#include "runtime/transaction/session.hpp"

namespace podnetc::cli {

rt::Result<live::State> read_live_state(const LiveInput& input) {
    rt::ReadOptions options;
    options.only_netns = input.only_netns;
    options.state_dir = rt::state_dir_from_environment();
    if (input.snapshot_path) return rt::SnapshotReader(*input.snapshot_path).read_state(options);

    return rt::read_node_state(options, input.node);
}

}  // namespace podnetc::cli
