// Plan steps as rtnetlink requests, appended to a RequestBatch (nl_batch.hpp) over
// a caller-owned buffer (libmnl style). No socket, no kernel: pure code, testable
// without root.
//
//   alignas(8) std::array<std::byte, 8192> buffer;
//   nl::RequestBatch batch(buffer);
//   IndexMap indexes{live};
//   for (const plan::Step& step : steps) {
//       EncodeResult r = encode(step, indexes, fds, batch);
//       if (r.status == EncodeStatus::no_room) { /* send the batch, clear it, encode again */ }
//   }
//   socket.send_batch(batch, …);  // numbers the requests and collects their acks
//
// Every request carries NLM_F_REQUEST | NLM_F_ACK (one ack per message, so the
// applier maps acks 1:1 to steps); creations add NLM_F_CREATE | NLM_F_EXCL,
// replacements NLM_F_CREATE | NLM_F_REPLACE (and so are new neighbours: see
// encode of a neighbour). Links are addressed by ifindex only
// (IndexMap), and every link created gets a pinned ifindex, so one batch can
// create a link and use it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/steps/plan.hpp"
#include "runtime/netlink/netlink_index_map.hpp"
#include "runtime/netlink/netns_fds.hpp"
#include "runtime/netlink/nl_batch.hpp"

namespace podnetc::rt {

enum class EncodeStatus {
    ok,
    not_netlink,    // a namespace step: the applier does it itself; nothing written
    no_room,        // the batch has no room left for this message; nothing changed
    unknown_link,   // a link the step names is not in the IndexMap
    unknown_netns,  // no descriptor for the namespace a veth peer goes to
    invalid_step,   // the step cannot be sent as it is (a veth without a peer)
    bad_buffer,     // the batch's buffer is not 4-byte aligned
};

struct EncodeResult {
    EncodeStatus status = EncodeStatus::ok;
    std::size_t length = 0;  // bytes of the request added (a multiple of 4) when ok
    std::string error;       // why, when not ok

    bool ok() const { return status == EncodeStatus::ok; }
};

// Whether a step kind is sent as a netlink message (all but the namespace steps).
bool is_netlink(plan::StepKind kind);

// Appends the request for `step` to `batch` (its sequence number is left 0: the
// socket numbers requests as it sends them). On success the IndexMap learns what
// the request does (links created with their pinned indexes, links deleted); on
// failure neither the map nor the batch changed, and the step can be encoded again
// (into an emptied batch, after no_room). Namespace steps add nothing (not_netlink)
// but do update the map: a namespace created holds only lo, a deleted one takes
// its links and their veth peers along.
EncodeResult encode(const plan::Step& step, IndexMap& indexes, const NetnsFds& fds, nl::RequestBatch& batch);

}  // namespace podnetc::rt
