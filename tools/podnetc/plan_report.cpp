#include "tools/podnetc/plan_report.hpp"

#include <cstdio>

#include "compiler/plan_io/plan_output.hpp"
#include "tools/podnetc/terminal.hpp"

namespace podnetc::cli {

void print_plan(const plan::Plan& plan, const SourceSet& sources, const Reporter& reporter) {
    reporter.result(plan::to_text(plan, sources, plan::TextOptions{use_color(stdout), true}));
    std::fflush(stdout);
}

void report_conflicts(const plan::Plan& plan, const SourceSet& sources, Reporter& reporter, std::string_view error) {
    reporter.block(plan::to_text(plan, sources, plan::TextOptions{use_color(stderr), true}), true);
    for (const plan::Conflict& conflict : plan.conflicts) reporter.record(plan::conflict_diagnostic(conflict));
    reporter.error(std::string(error));
}

}  // namespace podnetc::cli
