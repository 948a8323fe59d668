#include "runtime/watch/file_watch.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <set>

#include <sys/inotify.h>
#include <unistd.h>

namespace podnetc::rt {
namespace {

// Every way an entry of a directory changes. IN_MODIFY only marks a write in
// progress; the change is taken at IN_CLOSE_WRITE.
constexpr std::uint32_t kEntryEvents = IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM |
                                       IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == 0 ? "/" : path.substr(0, slash);
}

// The files whose writes matter: the path and what it resolves to.
std::set<std::string> files_for(const std::string& path) {
    std::set<std::string> files{path};
    char resolved[PATH_MAX];
    if (realpath(path.c_str(), resolved) != nullptr) files.insert(resolved);
    return files;
}


}  // namespace

std::string absolute_path(const std::string& path) {
    if (!path.empty() && path[0] == '/') return path;
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) == nullptr) return path;
    return std::string(cwd) + "/" + path;
}

Result<FileWatch> FileWatch::open(const std::string& path) {
    UniqueFd fd(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    if (!fd.valid()) return fail(errno, "inotify_init1");
    FileWatch watch(absolute_path(path), std::move(fd));
    const std::string named = directory_of(watch.path_);
    if (inotify_add_watch(watch.fd(), named.c_str(), kEntryEvents) < 0) {
        return fail(errno, "watch the directory " + named);
    }
    if (auto followed = watch.follow(); !followed) return fail(std::move(followed).error());
    return watch;
}

Result<void> FileWatch::follow() {
    files_ = files_for(path_);
    std::set<std::string> wanted;  // the directories the path names and resolves to
    for (const std::string& file : files_) wanted.insert(directory_of(file));
    for (auto it = watches_.begin(); it != watches_.end();) {
        if (wanted.count(it->second) == 0) {
            inotify_rm_watch(fd(), it->first);
            it = watches_.erase(it);
        } else {
            ++it;
        }
    }
    for (const std::string& directory : wanted) {
        const int wd = inotify_add_watch(fd(), directory.c_str(), kEntryEvents);
        // A directory that vanished between resolving and watching is followed at the next event.
        if (wd < 0) {
            if (errno == ENOENT || errno == ENOTDIR) continue;
            return fail(errno, "watch the directory " + directory);
        }
        watches_[wd] = directory;
    }
    return {};
}

void FileWatch::track_write(const inotify_event& event) {
    const auto directory = watches_.find(event.wd);
    if (directory == watches_.end() || event.len == 0) return;
    const std::string file = directory->second + (directory->second == "/" ? "" : "/") + event.name;
    if (event.mask & IN_MODIFY) {
        if (files_.count(file) != 0) open_writes_.insert(file);
    } else if (event.mask & (IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM)) {
        open_writes_.erase(file);
    }
}

Result<std::size_t> FileWatch::take_events() {
    std::size_t events = 0;
    alignas(inotify_event) char buffer[16 * 1024];
    for (;;) {
        const ssize_t n = read(fd(), buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) break;
            return fail(errno, "read inotify events");
        }
        for (ssize_t at = 0; at < n;) {
            const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
            if (event->mask & IN_IGNORED) {
                watches_.erase(event->wd);
            } else {
                ++events;  // IN_Q_OVERFLOW too: something changed, and we do not know what
                track_write(*event);
            }
            at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
        }
    }
    if (auto followed = follow(); !followed) return fail(std::move(followed).error());
    return events;
}

std::vector<std::string> FileWatch::directories() const {
    std::set<std::string> unique;
    for (const auto& [wd, directory] : watches_) unique.insert(directory);
    return {unique.begin(), unique.end()};
}

}  // namespace podnetc::rt
