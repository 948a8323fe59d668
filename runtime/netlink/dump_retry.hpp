// The policy for dumps the kernel marks interrupted (NLM_F_DUMP_INTR: the data
// changed while it was being read, so the result may be inconsistent): read again,
// a bounded number of times, then give up with an error that says so.
#pragma once

#include <functional>
#include <string>

#include "runtime/netlink/nl_socket.hpp"

namespace podnetc::rt {

// Calls `attempt` until it returns DumpEnd::complete, at most `attempts` times
// (at least once). `what` names the dump in the error ("links of namespace 'pod-1'").
Result<void> dump_until_complete(int attempts, const std::function<Result<nl::DumpEnd>()>& attempt,
                                 const std::string& what);

}  // namespace podnetc::rt
