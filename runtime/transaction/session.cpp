#include "runtime/transaction/session.hpp"

#include <csignal>

#include "runtime/apply/kernel_transport.hpp"
#include "runtime/read/netlink_reader.hpp"
#include "runtime/state/applied_record_store.hpp"

namespace podnetc::rt {

Result<Session> open_session(const SessionOptions& options) {
    auto lock = acquire_node_lock(options.state_dir, options.lock_timeout, options.waiting_for_lock);
    if (!lock) return fail(std::move(lock).error());
    ReadOptions read_options;
    read_options.state_dir = options.state_dir;
    auto transport = KernelTransport::open(read_options);
    if (!transport) return fail(std::move(transport).error());
    if (const auto& netns = options.faults.kill_in_registry) {
        (*transport)->set_between_kernel_and_registry([netns = *netns](std::string_view name) {
            if (name == netns) std::raise(SIGKILL);
        });
    }
    return Session{options.state_dir, std::move(*lock), std::move(*transport)};
}

Result<live::State> read_node_state(const ReadOptions& options, const std::optional<std::string>& node) {
    auto state = NetlinkKernelReader().read_state(options);
    if (!state || !node) return state;
    auto record = load_applied_record(options.state_dir, *node);
    if (!record) return fail(record.error());
    state->last_applied = std::move(*record);
    return state;
}

}  // namespace podnetc::rt
