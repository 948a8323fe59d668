// The kernel side of the agent's watch: one rtnetlink socket per network namespace
// (the host's and every owned pod's), subscribed to link, address, route and
// neighbour notifications of both families, with a large receive buffer. ENOBUFS on
// a socket means notifications were lost: the caller re-plans at once.
//
// A socket inside a namespace keeps the namespace alive, and with it every link in
// it: before a transaction that may delete pod namespaces the caller closes the pod
// sockets (close_pods), and opens them again afterwards (watch_pods).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "runtime/sys/sys_error.hpp"
#include "runtime/sys/unique_fd.hpp"

namespace podnetc::rt {

struct NotificationCount {
    std::size_t relevant = 0;  // notification_matters()
    std::size_t ignored = 0;
    bool overflow = false;     // ENOBUFS: some were lost
};

class KernelWatch {
public:
    // Subscribes in the calling thread's namespace (the host's).
    static Result<KernelWatch> open_host();

    // Subscribes in each namespace of `names` (under `run_dir`) not watched yet and
    // unsubscribes from those no longer listed. A namespace that cannot be opened is
    // skipped (it is being deleted, or is not a namespace): its name is returned.
    std::vector<std::string> watch_pods(const std::vector<std::string>& names, const std::string& run_dir);
    void close_pods() { pods_.clear(); }

    // Every socket, for poll().
    std::vector<int> fds() const;
    // Reads what is pending on `fd` (one of fds()) without blocking.
    Result<NotificationCount> drain(int fd);
    // Reads what is pending on every socket: after the agent's own transaction its
    // notifications are read and counted apart.
    Result<NotificationCount> drain_all();
    std::size_t namespaces_watched() const { return 1 + pods_.size(); }

private:
    explicit KernelWatch(UniqueFd host) : host_(std::move(host)) {}

    UniqueFd host_;
    std::map<std::string, UniqueFd> pods_;
};

}  // namespace podnetc::rt
