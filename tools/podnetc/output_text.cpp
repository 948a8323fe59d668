#include "tools/podnetc/output_text.hpp"

#include <fmt/format.h>

#include "compiler/steps/plan_summary.hpp"
#include "runtime/apply/apply_report.hpp"

namespace podnetc::cli {

std::string plan_summary_line(const plan::Plan& plan) {
    const plan::Counts c = plan::count(plan);
    std::string line = fmt::format("Plan: {} to create, {} to change, {} to delete", rt::with_thousands(c.create),
                                   rt::with_thousands(c.change), rt::with_thousands(c.remove));
    if (c.adopt != 0) line += fmt::format(", {} to adopt", c.adopt);
    if (c.drift != 0) line += fmt::format(", {} drift repair{}", c.drift, c.drift == 1 ? "" : "s");
    return line + ".";
}

std::string seconds_text(std::chrono::steady_clock::duration duration) {
    const std::chrono::duration<double> seconds = duration;
    if (seconds.count() < 0.01) return fmt::format("{:.2f} ms", seconds.count() * 1000);
    if (seconds.count() < 1) return fmt::format("{:.3f} s", seconds.count());
    return fmt::format("{:.2f} s", seconds.count());
}

std::string elapsed_text(std::chrono::steady_clock::time_point start) {
    return seconds_text(std::chrono::steady_clock::now() - start);
}

}  // namespace podnetc::cli
