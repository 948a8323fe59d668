#include "compiler/base/source_reader.hpp"

#include <cerrno>
#include <climits>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace podnetc {
namespace {

std::string type_problem(mode_t mode) {
    if (S_ISDIR(mode)) return "it is a directory";
    if (S_ISFIFO(mode)) return "it is a FIFO (named pipe), not a regular file";
    if (S_ISCHR(mode)) return "it is a character device, not a regular file";
    if (S_ISBLK(mode)) return "it is a block device, not a regular file";
    if (S_ISSOCK(mode)) return "it is a socket, not a regular file";
    if (!S_ISREG(mode)) return "it is not a regular file";
    return {};
}

// Why open() failed, with the case strerror says badly: a symlink whose target is gone.
std::string open_problem(const std::string& path, int error) {
    struct stat link {};
    if (error == ENOENT && ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
        char target[PATH_MAX] = {};
        const ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
        if (n >= 0) {
            return fmt::format("it is a symbolic link to '{}', which does not exist", std::string(target, n));
        }
        return "it is a symbolic link whose target does not exist";
    }
    return std::strerror(error);
}

class Descriptor {
public:
    explicit Descriptor(int fd) : fd_(fd) {}
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    ~Descriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

private:
    int fd_;
};

}  // namespace

Expected<std::string, std::string> read_source_text(const std::string& path) {
    // The type is checked on the path first (opening a socket fails with a
    // confusing ENXIO), then again on the descriptor, which is what gets read.
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) {
        if (std::string problem = type_problem(info.st_mode); !problem.empty()) return unexpected(problem);
    }
    const Descriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (fd.get() < 0) return unexpected(open_problem(path, errno));
    if (::fstat(fd.get(), &info) != 0) return unexpected(std::string(std::strerror(errno)));
    if (std::string problem = type_problem(info.st_mode); !problem.empty()) return unexpected(problem);

    std::string text;
    text.reserve(static_cast<std::size_t>(info.st_size));
    char buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            return unexpected(std::string(std::strerror(errno)));
        }
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
}

}  // namespace podnetc
