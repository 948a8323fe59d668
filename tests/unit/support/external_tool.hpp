// Runs an installed tool (bash, dot) on a text, for tests that check emitted output
// is accepted by the program it is written for.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

namespace podnetc::testing {

// Whether `program` is on PATH.
inline bool have_program(std::string_view program) {
    return std::system(fmt::format("command -v {} >/dev/null 2>&1", program).c_str()) == 0;
}

// Writes `text` to a temporary file and runs `command FILE`, with output discarded.
// Returns the command's exit status (-1 when it could not be run).
inline int run_on_text(std::string_view command, std::string_view text) {
    char path[] = "/tmp/podnetc-unit-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) return -1;
    const bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    close(fd);
    int status = -1;
    if (written) {
        const int raw = std::system(fmt::format("{} {} >/dev/null 2>&1", command, path).c_str());
        status = raw == -1 ? -1 : WEXITSTATUS(raw);
    }
    unlink(path);
    return status;
}

}  // namespace podnetc::testing
