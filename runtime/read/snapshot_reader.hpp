// KernelReader over a snapshot file (live_state_json.hpp) instead of the kernel:
// `show --state-from` and `plan --state-from`, and tests that need no root.
#pragma once

#include <string>

#include "runtime/read/kernel_reader.hpp"

namespace podnetc::rt {

class SnapshotReader final : public KernelReader {
public:
    explicit SnapshotReader(std::string path) : path_(std::move(path)) {}
    // ReadOptions::only_netns is honoured; the paths in ReadOptions are not used.
    Result<live::State> read_state(const ReadOptions& options) override;

private:
    std::string path_;
};

// The part of `state` that belongs to namespace `netns` (ip_forward only for the host).
live::State restrict_to_netns(live::State state, const std::string& netns);

}  // namespace podnetc::rt
