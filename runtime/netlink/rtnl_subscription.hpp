// A socket subscribed to rtnetlink notifications (links, addresses, routes and
// neighbours of both families) in the calling thread's current namespace, non-
// blocking, with a receive buffer large enough for a burst of changes (a 500-pod
// apply). Who reads them: the agent's kernel watch, and a transaction watching for
// another writer (runtime/apply/other_writers.hpp).
#pragma once

#include <cstddef>
#include <functional>
#include <span>

#include <linux/netlink.h>

#include "runtime/sys/sys_error.hpp"
#include "runtime/sys/unique_fd.hpp"

namespace podnetc::rt::nl {

Result<UniqueFd> subscribe_rtnetlink();

// Reads every notification pending on subscribed socket `fd` without blocking and
// calls `each` for every message. ENOBUFS (the kernel dropped some: re-read the
// state) does not stop it; the result says whether it happened.
struct Drained {
    bool overflow = false;
};
Result<Drained> drain_notifications(int fd, std::span<std::byte> buffer,
                                    const std::function<void(const nlmsghdr&)>& each);

}  // namespace podnetc::rt::nl
