// How apply and destroy show the plan they carry out: its operations, grouped by
// pod as `plan` prints them, ending with the summary line, on stdout; and a plan
// with conflicts as a refusal on stderr (the whole plan, so that the conflicts are
// seen with what they block), every conflict kept for --json.
#pragma once

#include <string_view>

#include "compiler/base/source.hpp"
#include "compiler/steps/plan.hpp"
#include "tools/podnetc/reporter.hpp"

namespace podnetc::cli {

void print_plan(const plan::Plan& plan, const SourceSet& sources, const Reporter& reporter);

void report_conflicts(const plan::Plan& plan, const SourceSet& sources, Reporter& reporter, std::string_view error);

}  // namespace podnetc::cli
