// KernelReader over rtnetlink: one socket per namespace, opened inside it and
// closed as soon as that namespace has been read; sequential dumps with a large
// receive buffer; no per-object system calls.
#pragma once

#include "runtime/read/kernel_reader.hpp"

namespace podnetc::rt {

class NetlinkKernelReader final : public KernelReader {
public:
    Result<live::State> read_state(const ReadOptions& options) override;
};

}  // namespace podnetc::rt
