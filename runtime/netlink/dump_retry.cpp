#include "runtime/netlink/dump_retry.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace podnetc::rt {

Result<void> dump_until_complete(int attempts, const std::function<Result<nl::DumpEnd>()>& attempt,
                                 const std::string& what) {
    attempts = std::max(1, attempts);
    for (int i = 0; i < attempts; ++i) {
        auto end = attempt();
        if (!end) return fail_plain(end.error().code, fmt::format("dump {}: {}", what, end.error().message));
        if (*end == nl::DumpEnd::complete) return {};
    }
    return fail_plain(EAGAIN, fmt::format("dump {}: interrupted {} times by concurrent changes (NLM_F_DUMP_INTR); "
                                          "try again when the node is quieter",
                                          what, attempts));
}

}  // namespace podnetc::rt
