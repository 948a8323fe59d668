// A socket subscribed to rtnetlink notifications (links, addresses, routes and
// neighbours of both families) in the calling thread's current namespace, non-
// blocking, with a receive buffer large enough for a burst of changes (a 500-pod
// apply). Who reads them: the agent's kernel watch, and a transaction watching for
// another writer (runtime/apply/other_writers.hpp).
#pragma once

#include "runtime/sys/sys_error.hpp"
#include "runtime/sys/unique_fd.hpp"

namespace podnetc::rt::nl {

Result<UniqueFd> subscribe_rtnetlink();

}  // namespace podnetc::rt::nl
