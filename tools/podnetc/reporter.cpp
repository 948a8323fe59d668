#include "tools/podnetc/reporter.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "tools/podnetc/terminal.hpp"

namespace podnetc::cli {

void Reporter::result(std::string_view text) const {
    if (json_ || quiet_) return;
    std::fwrite(text.data(), 1, text.size(), stdout);
}

void Reporter::info(std::string_view text) const {
    if (!quiet_) fmt::print(stderr, "podnetc: {}\n", text);
}

void Reporter::warning(std::string message) {
    if (!quiet_) fmt::print(stderr, "podnetc: warning: {}\n", message);
    warnings_.push_back(Diagnostic{Severity::warning, {}, std::move(message), {}});
}

void Reporter::error(std::string message) {
    fmt::print(stderr, "podnetc: error: {}\n", message);
    errors_.push_back(Diagnostic{Severity::error, {}, std::move(message), {}});
}

void Reporter::record(Diagnostic diagnostic) {
    (diagnostic.severity == Severity::error ? errors_ : warnings_).push_back(std::move(diagnostic));
}

void Reporter::diagnostics(const SourceSet& sources, Diagnostics& diagnostics) {
    if (diagnostics.empty()) return;
    diagnostics.sort_by_location();
    for (const Diagnostic& d : diagnostics.all()) (d.severity == Severity::error ? errors_ : warnings_).push_back(d);
    if (quiet_ && !diagnostics.has_errors()) return;
    const std::string text = render_all(sources, diagnostics, RenderOptions{use_color(stderr)});
    std::fwrite(text.data(), 1, text.size(), stderr);
}

int Reporter::finish(CommandResult& result, const SourceSet& sources, int exit_status) const {
    result.exit_status = exit_status;
    if (result.outcome.empty()) result.outcome = exit_status == 0 ? "ok" : "error";
    if (json_) {
        const std::string text = result_json(result, sources, errors_, warnings_);
        std::fwrite(text.data(), 1, text.size(), stdout);
    }
    return exit_status;
}

void Reporter::block(std::string_view text, bool is_error) const {
    if (quiet_ && !is_error) return;
    std::fwrite(text.data(), 1, text.size(), stderr);
}

int run_reported(std::string command, const Args& args, ReportedBody body) {
    Reporter reporter(args);
    CommandResult result(std::move(command));
    SourceSet sources;
    const int status = body(args, reporter, result, sources);
    return reporter.finish(result, sources, status);
}

}  // namespace podnetc::cli
