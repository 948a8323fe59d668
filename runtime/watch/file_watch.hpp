// Watching a topology file the way files really change on nodes: written in place,
// replaced by an editor's rename, rewritten by `git pull`/`git checkout`, or swapped
// by a Kubernetes ConfigMap volume, whose file is a symlink through `..data`, a
// symlink that is flipped to a new directory by a rename. Inotify watches the
// directory the path names and the directory the path resolves to (a watch on the
// file itself would follow the old inode after a rename); after every batch of
// events the path is resolved again and the watches follow it. Never polls.
//
// A file being written is not read: after IN_MODIFY of the file (or of what it
// resolves to) and before its IN_CLOSE_WRITE, write_in_progress() is true, so that
// a cycle never compiles half a file (a truncated file is often a valid file with
// fewer pods).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "runtime/sys/sys_error.hpp"
#include "runtime/sys/unique_fd.hpp"

struct inotify_event;

namespace podnetc::rt {

class FileWatch {
public:
    // Fails when the directory the path names cannot be watched (the file itself
    // may be missing: it is then watched for until it appears).
    static Result<FileWatch> open(const std::string& path);

    int fd() const { return fd_.get(); }  // readable when events are pending
    // Reads every pending event without blocking; the number of events about
    // entries of the watched directories. Re-resolves the path and moves the watches.
    Result<std::size_t> take_events();
    // The file was modified and not closed yet (see above).
    bool write_in_progress() const { return !open_writes_.empty(); }
    // The directories watched now (for tests and the log).
    std::vector<std::string> directories() const;

private:
    FileWatch(std::string path, UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
    Result<void> follow();
    void track_write(const inotify_event& event);

    std::string path_;  // absolute
    UniqueFd fd_;
    std::map<int, std::string> watches_;  // watch descriptor -> directory
    std::set<std::string> files_;         // the path and what it resolves to, as of the last follow()
    std::set<std::string> open_writes_;   // those of files_ modified and not closed
};

// `path` made absolute against the current directory, without resolving symlinks.
std::string absolute_path(const std::string& path);

}  // namespace podnetc::rt
