#include "runtime/sys/unique_fd.hpp"

#include <unistd.h>

namespace podnetc::rt {

void UniqueFd::reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

}  // namespace podnetc::rt
