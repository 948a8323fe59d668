#include "runtime/netns/netns.hpp"

#include <algorithm>
#include <cerrno>

#include <dirent.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <fmt/format.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace podnetc::rt {
namespace {

std::string join(std::string_view dir, std::string_view name) { return fmt::format("{}/{}", dir, name); }

// iproute2 makes NETNS_RUN_DIR a shared mount point, so that a namespace's unmount
// in one mount namespace propagates to the others and frees the namespace sooner.
Result<void> make_run_dir_shared(const std::string& run_dir) {
    if (mkdir(run_dir.c_str(), 0755) < 0 && errno != EEXIST) return fail(errno, fmt::format("mkdir {}", run_dir));
    bool made_mount_point = false;
    while (mount("", run_dir.c_str(), "none", MS_SHARED | MS_REC, nullptr) < 0) {
        // EINVAL: not a mount point yet. Make it one by bind-mounting it onto itself.
        if (errno != EINVAL || made_mount_point) {
            return fail(errno, fmt::format("make {} a shared mount point", run_dir));
        }
        if (mount(run_dir.c_str(), run_dir.c_str(), "none", MS_BIND | MS_REC, nullptr) < 0) {
            return fail(errno, fmt::format("bind-mount {} onto itself", run_dir));
        }
        made_mount_point = true;
    }
    return {};
}

// The calling thread must never stay in a namespace it did not mean to be in: the
// next change would go to the wrong place. Returning can only fail if the process
// lost CAP_SYS_ADMIN meanwhile; then stopping is the only safe thing.
void return_or_abort(int origin_fd) {
    if (setns(origin_fd, CLONE_NEWNET) == 0) return;
    fmt::print(stderr, "podnetc: fatal: cannot return to the original network namespace: {}\n",
               SysError::from_errno(errno, "setns").message);
    std::abort();
}

}  // namespace

std::string netns_name_problem(std::string_view name) {
    if (name.empty()) return "a namespace name cannot be empty";
    if (name == "." || name == "..") return fmt::format("'{}' is not a valid namespace name", name);
    if (name.find('/') != std::string_view::npos) return fmt::format("namespace name '{}' contains '/'", name);
    if (name.size() > 255) return fmt::format("namespace name '{}…' is longer than 255 bytes", name.substr(0, 20));
    return {};
}

Result<std::vector<std::string>> list_named_netns(std::string_view run_dir) {
    const std::string dir(run_dir);
    DIR* stream = opendir(dir.c_str());
    if (stream == nullptr) {
        if (errno == ENOENT) return std::vector<std::string>{};
        return fail(errno, fmt::format("list {}", dir));
    }
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* entry = readdir(stream)) {
        const std::string_view name = entry->d_name;
        if (name != "." && name != "..") names.emplace_back(name);
    }
    const int read_errno = errno;
    closedir(stream);
    if (read_errno != 0) return fail(read_errno, fmt::format("list {}", dir));
    std::sort(names.begin(), names.end());
    return names;
}

Result<NetnsHandle> NetnsHandle::from_fd(UniqueFd fd, std::string name, const std::string& path) {
    struct stat info {};
    if (fstat(fd.get(), &info) < 0) return fail(errno, fmt::format("stat {}", path));
    return NetnsHandle(std::move(fd), std::move(name), info.st_dev, info.st_ino);
}

Result<NetnsHandle> NetnsHandle::current() {
    const std::string path = "/proc/thread-self/ns/net";
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return fail(errno, fmt::format("open {}", path));
    return from_fd(std::move(fd), "", path);
}

Result<NetnsHandle> NetnsHandle::open_named(std::string_view name, std::string_view run_dir) {
    if (const std::string problem = netns_name_problem(name); !problem.empty()) return fail_plain(EINVAL, problem);
    const std::string path = join(run_dir, name);
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return fail(errno, fmt::format("open {}", path));
    // A namespace file answers NS_GET_NSTYPE; a file whose bind mount is gone does not.
    const int type = ioctl(fd.get(), NS_GET_NSTYPE);
    if (type != CLONE_NEWNET) {
        return fail_plain(EINVAL, fmt::format("{} is not a network namespace (a stale file without its mount?)", path));
    }
    return from_fd(std::move(fd), std::string(name), path);
}

Result<ScopedNetns> ScopedNetns::enter(const NetnsHandle& target) {
    auto origin = NetnsHandle::current();
    if (!origin) return fail(std::move(origin).error());
    if (setns(target.fd(), CLONE_NEWNET) < 0) return fail(errno, fmt::format("enter namespace '{}'", target.name()));
    ScopedNetns scoped(origin->fd());
    scoped.owned_origin_ = std::move(*origin);
    return scoped;
}

Result<ScopedNetns> ScopedNetns::enter(const NetnsHandle& target, const NetnsHandle& origin) {
    if (setns(target.fd(), CLONE_NEWNET) < 0) return fail(errno, fmt::format("enter namespace '{}'", target.name()));
    return ScopedNetns(origin.fd());
}

ScopedNetns::~ScopedNetns() {
    if (origin_fd_ >= 0) return_or_abort(origin_fd_);
}

Result<void> create_named_netns(std::string_view name, std::string_view run_dir) {
    if (const std::string problem = netns_name_problem(name); !problem.empty()) return fail_plain(EINVAL, problem);
    const std::string dir(run_dir);
    if (auto shared = make_run_dir_shared(dir); !shared) return shared;
    const std::string path = join(dir, name);
    UniqueFd placeholder(::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0));
    if (!placeholder.valid()) {
        const int code = errno;
        return fail(code, code == EEXIST ? fmt::format("create namespace '{}': it already exists", name)
                                         : fmt::format("create {}", path));
    }
    placeholder.reset();
    // unshare() moves only the calling thread, which returns right after the bind
    // mount. (A helper thread would spare that, but waiting for it to be scheduled
    // costs more than the unshare itself on a busy node.)
    auto origin = NetnsHandle::current();
    int failed = 0;
    if (!origin) {
        failed = origin.error().code;
    } else if (unshare(CLONE_NEWNET) < 0) {
        failed = errno;
    } else {
        if (mount("/proc/thread-self/ns/net", path.c_str(), "none", MS_BIND, nullptr) < 0) failed = errno;
        return_or_abort(origin->fd());
    }
    if (failed != 0) {
        unlink(path.c_str());
        return fail(failed, fmt::format("create namespace '{}'", name));
    }
    return {};
}

Result<void> delete_named_netns(std::string_view name, std::string_view run_dir) {
    if (const std::string problem = netns_name_problem(name); !problem.empty()) return fail_plain(EINVAL, problem);
    const std::string path = join(run_dir, name);
    // EINVAL: not a mount point (a stale file); unlink it all the same.
    if (umount2(path.c_str(), MNT_DETACH) < 0 && errno != EINVAL) {
        return fail(errno, fmt::format("delete namespace '{}': unmount {}", name, path));
    }
    if (unlink(path.c_str()) < 0) return fail(errno, fmt::format("delete namespace '{}': unlink {}", name, path));
    return {};
}

}  // namespace podnetc::rt
