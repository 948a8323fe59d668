#include "runtime/state_files.hpp"

#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "runtime/unique_fd.hpp"

namespace podnetc::rt {
namespace {

Result<void> write_all(int fd, std::string_view text, const std::string& path) {
    while (!text.empty()) {
        const ssize_t written = ::write(fd, text.data(), text.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            return fail(errno, fmt::format("write {}", path));
        }
        text.remove_prefix(static_cast<std::size_t>(written));
    }
    return {};
}

}  // namespace

Result<void> ensure_directory(const std::string& path) {
    if (::mkdir(path.c_str(), 0700) < 0 && errno != EEXIST) return fail(errno, fmt::format("mkdir {}", path));
    return {};
}

Result<void> sync_directory(const std::string& dir) {
    UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid()) return fail(errno, fmt::format("open {}", dir));
    if (::fsync(fd.get()) < 0) return fail(errno, fmt::format("fsync {}", dir));
    return {};
}

Result<void> write_file_atomically(const std::string& dir, std::string_view name, std::string_view text) {
    const std::string path = fmt::format("{}/{}", dir, name);
    const std::string temporary = fmt::format("{}/.{}.tmp", dir, name);
    {
        UniqueFd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
        if (!fd.valid()) return fail(errno, fmt::format("create {}", temporary));
        if (auto written = write_all(fd.get(), text, temporary); !written) return written;
        if (::fsync(fd.get()) < 0) return fail(errno, fmt::format("fsync {}", temporary));
    }
    if (::rename(temporary.c_str(), path.c_str()) < 0) {
        const int code = errno;
        ::unlink(temporary.c_str());
        return fail(code, fmt::format("rename {} to {}", temporary, path));
    }
    return sync_directory(dir);
}

Result<std::optional<std::string>> read_file_if_exists(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
        if (errno == ENOENT) return std::optional<std::string>{};
        return fail(errno, fmt::format("open {}", path));
    }
    std::string text;
    char chunk[65536];
    for (;;) {
        const ssize_t got = ::read(fd.get(), chunk, sizeof chunk);
        if (got < 0) {
            if (errno == EINTR) continue;
            return fail(errno, fmt::format("read {}", path));
        }
        if (got == 0) break;
        text.append(chunk, static_cast<std::size_t>(got));
    }
    return std::optional<std::string>{std::move(text)};
}

Result<void> remove_file(const std::string& path) {
    if (::unlink(path.c_str()) < 0 && errno != ENOENT) return fail(errno, fmt::format("remove {}", path));
    return {};
}

}  // namespace podnetc::rt
