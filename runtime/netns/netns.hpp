// Network namespaces the way iproute2 names them: a bind mount of a namespace
// file at /run/netns/NAME. Listing, opening, entering (per thread, RAII), and
// creating / deleting like `ip netns add/del`, without spawning any process.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include <sys/types.h>

#include "runtime/sys/sys_error.hpp"
#include "runtime/sys/unique_fd.hpp"

namespace podnetc::rt {

// iproute2's NETNS_RUN_DIR. A parameter everywhere, so tests can point elsewhere.
inline constexpr std::string_view kNetnsRunDir = "/run/netns";

// Why `name` cannot name a namespace file (as `ip netns` checks it), or "".
std::string netns_name_problem(std::string_view name);

// The names under `run_dir`, sorted; an absent directory is an empty list.
Result<std::vector<std::string>> list_named_netns(std::string_view run_dir = kNetnsRunDir);

// An open reference to a network namespace. Holding it keeps the namespace (and
// every interface in it) alive, so handles are closed before a namespace is deleted.
class NetnsHandle {
public:
    // The calling thread's current namespace (/proc/thread-self/ns/net).
    static Result<NetnsHandle> current();
    // /run/netns/NAME. Fails with EINVAL when the file is not a namespace (a stale
    // file whose bind mount is gone).
    static Result<NetnsHandle> open_named(std::string_view name, std::string_view run_dir = kNetnsRunDir);

    int fd() const { return fd_.get(); }
    const std::string& name() const { return name_; }  // "" for current()
    // Two handles refer to the same namespace iff their identities are equal.
    bool same_namespace(const NetnsHandle& other) const { return dev_ == other.dev_ && ino_ == other.ino_; }

private:
    NetnsHandle(UniqueFd fd, std::string name, dev_t dev, ino_t ino)
        : fd_(std::move(fd)), name_(std::move(name)), dev_(dev), ino_(ino) {}
    static Result<NetnsHandle> from_fd(UniqueFd fd, std::string name, const std::string& path);

    UniqueFd fd_;
    std::string name_;
    dev_t dev_ = 0;
    ino_t ino_ = 0;
};

// While alive, the calling thread is in another network namespace; the destructor
// returns it to where it was. If returning fails the process aborts: a thread left
// in the wrong namespace would change the wrong node's network.
class ScopedNetns {
public:
    static Result<ScopedNetns> enter(const NetnsHandle& target);
    // Returns to `origin`, which must be the calling thread's current namespace and
    // outlive the guard (saves reopening it when entering many namespaces in turn).
    static Result<ScopedNetns> enter(const NetnsHandle& target, const NetnsHandle& origin);

    ScopedNetns(ScopedNetns&& other) noexcept
        : origin_fd_(std::exchange(other.origin_fd_, -1)), owned_origin_(std::move(other.owned_origin_)) {}
    ScopedNetns& operator=(ScopedNetns&&) = delete;
    ScopedNetns(const ScopedNetns&) = delete;
    ScopedNetns& operator=(const ScopedNetns&) = delete;
    ~ScopedNetns();

private:
    explicit ScopedNetns(int origin_fd) : origin_fd_(origin_fd) {}
    int origin_fd_ = -1;                       // -1: nothing to restore
    std::optional<NetnsHandle> owned_origin_;  // set when enter() opened the origin itself
};

// `ip netns add NAME`: makes run_dir a shared mount point (once), creates a new
// namespace (unshare(CLONE_NEWNET) on the calling thread, which returns to its own
// namespace before this returns) and bind-mounts it onto run_dir/NAME. EEXIST if
// the name is taken.
Result<void> create_named_netns(std::string_view name, std::string_view run_dir = kNetnsRunDir);

// `ip netns del NAME`: lazy unmount and unlink. The namespace itself dies when the
// last reference (open handle, socket, process) goes away; that is asynchronous.
Result<void> delete_named_netns(std::string_view name, std::string_view run_dir = kNetnsRunDir);

}  // namespace podnetc::rt
