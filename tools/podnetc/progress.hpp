// One updating line on stderr while a long apply runs ("applying: 512/1,024
// operations"), only when stderr is a terminal and only once the apply has taken
// long enough to be worth it. Never in pipes, logs or tests.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace podnetc::cli {

class ProgressLine {
public:
    // `wanted`: false with --quiet.
    explicit ProgressLine(std::string verb, bool wanted = true);
    ~ProgressLine();
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    void update(std::size_t done, std::size_t total);
    // Erases the line (before anything else is printed).
    void clear();

private:
    std::string verb_;
    bool enabled_ = false;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_;
};

}  // namespace podnetc::cli
