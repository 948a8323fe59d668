#include "runtime/sys/sys_error.hpp"

#include <cstring>

#include <fmt/format.h>

namespace podnetc::rt {

SysError SysError::from_errno(int code, std::string what) {
    if (code == 0) return SysError{0, std::move(what)};
    return SysError{code, fmt::format("{}: {}", what, std::strerror(code))};
}

}  // namespace podnetc::rt
