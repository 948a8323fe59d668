// The narrow interface between "what does the kernel have" and everything that
// uses the answer (show, plan, apply's re-read and verification). The netlink
// implementation is netlink_reader.hpp; tests use a fake that returns a fixed state.
#pragma once

#include <optional>
#include <string>

#include "compiler/live/live_state.hpp"
#include "runtime/netns/netns.hpp"
#include "runtime/sys/sys_error.hpp"

namespace podnetc::rt {

struct ReadOptions {
    // Read only this namespace ("" is the host); other namespaces are then only
    // looked at as far as needed to name veth peers.
    std::optional<std::string> only_netns;
    std::string netns_run_dir = std::string(kNetnsRunDir);
    std::string state_dir;  // where the namespace registry lives (state_dir.hpp)
    // A dump the kernel marks interrupted (NLM_F_DUMP_INTR) is repeated; after this
    // many interrupted attempts the read fails.
    int dump_attempts = 5;
};

class KernelReader {
public:
    virtual ~KernelReader() = default;
    virtual Result<live::State> read_state(const ReadOptions& options) = 0;
};

}  // namespace podnetc::rt
