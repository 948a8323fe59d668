// Encoding a list of steps into one batch per namespace, as the applier will: every
// request of a namespace in one buffer, consecutive sequence numbers, pinned
// ifindexes so that later requests can use links the earlier ones create.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "compiler/steps/plan.hpp"
#include "runtime/netlink/netlink_encode.hpp"

namespace podnetc::probe {

struct Batch {
    std::string netns;
    std::vector<std::byte> bytes;  // the requests, back to back
    std::vector<std::uint32_t> seqs;
    std::vector<std::string> lines;  // each request as text, printed right after encoding

    std::size_t count() const { return seqs.size(); }
};

enum class HostOrder { first, last };

// Groups netlink steps by namespace (in order of first appearance, the host first
// or last) and encodes them; throws when a step does not encode.
std::vector<Batch> encode_batches(const std::vector<plan::Step>& steps, HostOrder host, rt::IndexMap& indexes,
                                  const rt::NetnsFds& fds, std::uint32_t& seq);

}  // namespace podnetc::probe
