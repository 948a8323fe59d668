#include "tools/podnetc/output_text.hpp"

#include <fmt/format.h>

namespace podnetc::cli {

std::string seconds_text(std::chrono::steady_clock::duration duration) {
    const std::chrono::duration<double> seconds = duration;
    if (seconds.count() < 0.01) return fmt::format("{:.2f} ms", seconds.count() * 1000);
    if (seconds.count() < 1) return fmt::format("{:.3f} s", seconds.count());
    return fmt::format("{:.2f} s", seconds.count());
}

std::string elapsed_text(std::chrono::steady_clock::time_point start) {
    return seconds_text(std::chrono::steady_clock::now() - start);
}

std::uint64_t milliseconds_since(std::chrono::steady_clock::time_point start) {
    const auto elapsed = std::chrono::steady_clock::now() - start;
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count());
}

}  // namespace podnetc::cli
