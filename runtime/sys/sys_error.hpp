// The error value of everything that touches the kernel: an errno (0 when the
// failure is not a system call's) and a message that says what was being done.
#pragma once

#include <string>

#include "compiler/base/expected.hpp"

namespace podnetc::rt {

struct SysError {
    int code = 0;         // errno, or 0
    std::string message;  // complete sentence fragment: "open /run/netns/pod-1: No such file…"

    // "<what>: <strerror(code)>".
    static SysError from_errno(int code, std::string what);
    static SysError plain(std::string message) { return SysError{0, std::move(message)}; }
};

template <class T>
using Result = Expected<T, SysError>;

// Unexpected<SysError> for `return fail(errno, "…")`.
inline Unexpected<SysError> fail(int code, std::string what) {
    return {SysError::from_errno(code, std::move(what))};
}
inline Unexpected<SysError> fail(SysError error) { return {std::move(error)}; }
// An error with an errno whose message already says it all (no strerror appended).
inline Unexpected<SysError> fail_plain(int code, std::string message) { return {SysError{code, std::move(message)}}; }

}  // namespace podnetc::rt
