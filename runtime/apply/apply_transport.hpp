// What the applier needs from the kernel, as a narrow interface: namespace
// operations, sending a batch of encoded requests inside one namespace, the
// descriptors of namespaces (for veth peers), and reading the whole live state.
// kernel_transport.hpp is the real one; unit tests drive every failure path of the
// applier with a fake that executes the steps on an in-memory kernel.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"
#include "runtime/apply/other_writers.hpp"
#include "runtime/netlink/netns_fds.hpp"
#include "runtime/netlink/nl_batch.hpp"
#include "runtime/netlink/nl_socket.hpp"
#include "runtime/sys/sys_error.hpp"

namespace podnetc::rt {

class ApplyTransport {
public:
    virtual ~ApplyTransport() = default;

    // create_netns (the namespace, then its registry entry), delete_netns (the
    // registry entry, this transport's references to it, then the namespace),
    // register_netns and unregister_netns (the registry only).
    virtual Result<void> run_namespace_step(const plan::Step& step) = 0;

    // Sends every request of `requests` on a socket inside `netns` and collects one
    // ack per request sent (nl::NetlinkSocket::send_batch). `steps[i]` is the step
    // request i was encoded from. An error result means the fate of what was sent is
    // unknown: the caller re-reads the state.
    virtual Result<nl::BatchOutcome> send(std::string_view netns, nl::RequestBatch& requests,
                                          std::span<const plan::Step* const> steps,
                                          const nl::BatchOptions& options) = 0;

    // Descriptors of namespaces, for IFLA_NET_NS_FD (opened on first use).
    virtual const NetnsFds& netns_fds() = 0;

    virtual Result<live::State> read_state() = 0;

    // Listens, from now on, to rtnetlink notifications in each of `netns` (and stops
    // listening anywhere else; {}: nowhere) for changes other processes make
    // (other_writers.hpp). Best effort: a namespace it cannot listen in is skipped.
    virtual void watch_other_writers(const std::vector<std::string>& netns) { (void)netns; }
    // The notifications received since the last call that did not come from this
    // transport's own sockets.
    virtual std::vector<ForeignNotification> other_writers_notifications() { return {}; }
};

}  // namespace podnetc::rt
