// Plan steps as rtnetlink requests, written into a caller-owned buffer (libmnl
// style). No socket, no kernel: pure code, testable without root.
//
//   alignas(4) std::array<std::byte, 8192> buffer;
//   IndexMap indexes{live};
//   std::size_t used = 0;
//   for (const plan::Step& step : batch) {
//       EncodeResult r = encode(step, seq++, indexes, fds, std::span{buffer}.subspan(used));
//       if (r.status == EncodeStatus::no_room) { /* send what is there, retry in a fresh buffer */ }
//       used += r.length;
//   }
//
// Every request carries NLM_F_REQUEST | NLM_F_ACK (one ack per message, so the
// applier maps acks 1:1 to steps); creations add NLM_F_CREATE | NLM_F_EXCL,
// replacements NLM_F_CREATE | NLM_F_REPLACE. Links are addressed by ifindex only
// (IndexMap), and every link created gets a pinned ifindex, so one batch can
// create a link and use it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "compiler/plan.hpp"
#include "runtime/netlink_index_map.hpp"
#include "runtime/netns_fds.hpp"

namespace podnetc::rt {

enum class EncodeStatus {
    ok,
    not_netlink,    // a namespace step: the applier does it itself; nothing written
    no_room,        // the buffer is too small for this message; nothing changed
    unknown_link,   // a link the step names is not in the IndexMap
    unknown_netns,  // no descriptor for the namespace a veth peer goes to
    invalid_step,   // the step's object does not fit its kind or its namespace
    bad_buffer,     // the buffer is not 4-byte aligned
};

struct EncodeResult {
    EncodeStatus status = EncodeStatus::ok;
    std::size_t length = 0;  // bytes written (a multiple of 4) when ok
    std::string error;       // why, when not ok

    bool ok() const { return status == EncodeStatus::ok; }
};

// Whether a step kind is sent as a netlink message (all but the namespace steps).
bool is_netlink(plan::StepKind kind);

// Writes the request for `step` at the start of `buffer` (4-byte aligned), with
// sequence number `seq`. On success the IndexMap learns what the request does
// (links created with their pinned indexes, links deleted); on failure neither the
// map nor anything after the buffer's first `length` bytes is meaningful, and the
// step can be encoded again. Namespace steps write nothing (not_netlink) but do
// update the map: a namespace created holds only lo, a deleted one takes its links
// and their veth peers along.
EncodeResult encode(const plan::Step& step, std::uint32_t seq, IndexMap& indexes, const NetnsFds& fds,
                    std::span<std::byte> buffer);

}  // namespace podnetc::rt
