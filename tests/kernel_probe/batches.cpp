#include "tests/kernel_probe/batches.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include <fmt/format.h>

#include "runtime/netlink/netlink_text.hpp"

namespace podnetc::probe {

std::vector<Batch> encode_batches(const std::vector<plan::Step>& steps, HostOrder host, rt::IndexMap& indexes,
                                  const rt::NetnsFds& fds, std::uint32_t& seq) {
    std::vector<Batch> batches;
    const auto batch_of = [&](const std::string& netns) -> Batch& {
        const auto it = std::find_if(batches.begin(), batches.end(), [&](const Batch& b) { return b.netns == netns; });
        if (it != batches.end()) return *it;
        batches.push_back(Batch{netns, {}, {}, {}});
        return batches.back();
    };
    for (const plan::Step& step : steps) {
        if (!rt::is_netlink(step.kind())) continue;
        Batch& batch = batch_of(step.netns());
        const std::size_t used = batch.bytes.size();
        alignas(8) std::array<std::byte, 4096> one{};
        rt::nl::RequestBatch request(one);
        const auto result = rt::encode(step, indexes, fds, request);
        if (!result.ok()) throw std::runtime_error(fmt::format("encode: {}", result.error));
        request.request(0).nlmsg_seq = seq;  // this probe's socket sends the bytes as they are
        const auto bytes = request.bytes(0, 1);
        batch.bytes.insert(batch.bytes.end(), bytes.begin(), bytes.end());
        batch.seqs.push_back(seq++);
        const rt::TextContext context{step.netns(), &indexes, &fds, true};
        batch.lines.push_back(rt::message_text(std::span{batch.bytes}.subspan(used), context));
    }
    std::stable_partition(batches.begin(), batches.end(), [&](const Batch& b) {
        return (b.netns.empty()) == (host == HostOrder::first);
    });
    return batches;
}

}  // namespace podnetc::probe
