// Short texts the transaction commands print: the plan's summary line and durations.
#pragma once

#include <chrono>
#include <string>

#include "compiler/steps/plan.hpp"

namespace podnetc::cli {

// "Plan: 3 to create, 0 to change, 1 to delete." (plan_text's summary line).
std::string plan_summary_line(const plan::Plan& plan);

// "0.42 ms" (below 10 ms), "0.031 s" (below a second), "1.25 s".
std::string seconds_text(std::chrono::steady_clock::duration duration);
// Seconds since `start`.
std::string elapsed_text(std::chrono::steady_clock::time_point start);

}  // namespace podnetc::cli
