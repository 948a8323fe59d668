#include "runtime/watch/file_stamp.hpp"

#include <sys/stat.h>

namespace podnetc::rt {
namespace {

std::chrono::system_clock::time_point time_of(const timespec& t) {
    return std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
        std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec)));
}

}  // namespace

std::optional<FileStamp> stamp_file(const std::string& path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) return std::nullopt;
    return FileStamp{static_cast<unsigned long>(st.st_dev), static_cast<unsigned long>(st.st_ino),
                     static_cast<long long>(st.st_size), time_of(st.st_mtim), time_of(st.st_ctim)};
}

}  // namespace podnetc::rt
