#include "tools/podnetc/live_input.hpp"

#include <memory>

#include "runtime/state/applied_record_store.hpp"
#include "runtime/read/netlink_reader.hpp"
#include "runtime/read/snapshot_reader.hpp"
#include "runtime/state/state_dir.hpp"

namespace podnetc::cli {

rt::Result<live::State> read_live_state(const LiveInput& input) {
    rt::ReadOptions options;
    options.only_netns = input.only_netns;
    options.state_dir = rt::state_dir_from_environment();
    if (input.snapshot_path) return rt::SnapshotReader(*input.snapshot_path).read_state(options);

    auto state = rt::NetlinkKernelReader().read_state(options);
    if (!state || !input.node) return state;
    auto record = rt::load_applied_record(options.state_dir, *input.node);
    if (!record) return rt::fail(record.error());
    state->last_applied = std::move(*record);
    return state;
}

}  // namespace podnetc::cli
