#include "runtime/state/state_files.hpp"

#include <cerrno>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/sys/unique_fd.hpp"

namespace podnetc::rt {
namespace {

std::string parent_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

Result<void> write_all(int fd, std::string_view content, const std::string& path) {
    while (!content.empty()) {
        const ssize_t written = ::write(fd, content.data(), content.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            return fail(errno, fmt::format("write {}", path));
        }
        content.remove_prefix(static_cast<std::size_t>(written));
    }
    return {};
}

}  // namespace

Result<void> ensure_directory(const std::string& path) {
    if (path.empty() || path == "/" || path == ".") return {};
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) {
        if (S_ISDIR(info.st_mode)) return {};
        return fail_plain(ENOTDIR, fmt::format("{} exists and is not a directory", path));
    }
    if (auto parent = ensure_directory(parent_of(path)); !parent) return parent;
    if (::mkdir(path.c_str(), 0755) < 0 && errno != EEXIST) return fail(errno, fmt::format("mkdir {}", path));
    return {};
}

Result<std::optional<std::string>> read_state_file(const std::string& path) {
    UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!file.valid()) {
        if (errno == ENOENT) return std::optional<std::string>{};
        return fail(errno, fmt::format("open {}", path));
    }
    std::string content;
    char buffer[64 * 1024];
    for (;;) {
        const ssize_t n = ::read(file.get(), buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail(errno, fmt::format("read {}", path));
        }
        if (n == 0) break;
        content.append(buffer, static_cast<std::size_t>(n));
    }
    return std::optional<std::string>{std::move(content)};
}

Result<void> write_state_file(const std::string& path, std::string_view content) {
    const std::string directory = parent_of(path);
    if (auto made = ensure_directory(directory); !made) return made;
    const std::string temporary = fmt::format("{}.tmp.{}", path, ::getpid());
    {
        UniqueFd file(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
        if (!file.valid()) return fail(errno, fmt::format("create {}", temporary));
        if (auto written = write_all(file.get(), content, temporary); !written) return written;
        if (::fsync(file.get()) < 0) return fail(errno, fmt::format("fsync {}", temporary));
    }
    if (::rename(temporary.c_str(), path.c_str()) < 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        return fail(error, fmt::format("rename {} to {}", temporary, path));
    }
    return sync_directory(directory);
}

Result<void> remove_state_file(const std::string& path) {
    if (::unlink(path.c_str()) < 0 && errno != ENOENT) return fail(errno, fmt::format("unlink {}", path));
    return {};
}

Result<void> sync_directory(const std::string& path) {
    UniqueFd dir(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir.valid() || ::fsync(dir.get()) < 0) return fail(errno, fmt::format("fsync {}", path));
    return {};
}

}  // namespace podnetc::rt
