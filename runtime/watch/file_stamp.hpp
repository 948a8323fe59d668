// What a file looked like, as stat(2) says it: identity, size and change times.
// Inotify reports a write only after the kernel has done it, and a writer can be
// preempted between truncating a file and writing it again; the times are updated
// at once. So a cycle stamps the file before reading it and again before acting:
// a different stamp means it may have read half a file. And a file modified only
// just now may still be written: it is read when it has been quiet for a moment.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace podnetc::rt {

struct FileStamp {
    unsigned long device = 0, inode = 0;
    long long size = 0;
    std::chrono::system_clock::time_point modified, changed;
    friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

// nullopt when the file cannot be stat'ed (it is then unreadable, and said so by the reader).
std::optional<FileStamp> stamp_file(const std::string& path);

}  // namespace podnetc::rt
