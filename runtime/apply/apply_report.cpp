#include "runtime/apply/apply_report.hpp"

#include <fmt/format.h>

#include "compiler/base/diagnostics.hpp"
#include "compiler/base/text_format.hpp"
#include "compiler/steps/plan_describe.hpp"
#include "runtime/netlink/netlink_encode.hpp"
#include "runtime/netlink/netlink_names.hpp"

namespace podnetc::rt {
namespace {

constexpr std::size_t kMaxListed = 50;

// "operation 12", "operations 3-9".
std::string op_range(std::size_t first, std::size_t last) {
    if (last == first + 1) return fmt::format("operation {}", first + 1);
    return fmt::format("operations {}-{}", first + 1, last);
}

std::string refused_message(const plan::Plan& plan, const ApplyResult& result, const ApplyFailure& failure) {
    const std::size_t k = *failure.op;
    const plan::Step& step = plan.ops[k].step;
    const std::string what = fmt::format("operation {} of {}, {}", k + 1, plan.ops.size(), plan::describe_action(step));
    if (!is_netlink(step.kind()) || !result.outcomes[k].sent) {
        return fmt::format("{} failed: {}", what, failure.message);
    }
    return fmt::format("the kernel refused {}: {}", what, kernel_error_text(failure.error, failure.message));
}

void add_progress_notes(Diagnostic& d, const ApplyResult& result, std::size_t k) {
    std::size_t before = 0;
    std::size_t after = 0;
    for (std::size_t i = 0; i < result.outcomes.size(); ++i) {
        if (result.outcomes[i].status != StepStatus::done) continue;
        (i < k ? before : after) += 1;
    }
    if (before == 0) {
        d.notes.push_back({SourceRange{}, "no operation before it had been applied"});
    } else {
        d.notes.push_back({SourceRange{}, fmt::format("{} before it had been applied", plural(before, "operation"))});
    }
    if (after != 0) {
        d.notes.push_back({SourceRange{}, fmt::format("{} after it, sent in the same batch, had been applied too (the "
                                                      "kernel carries on after a refused request)",
                                                      plural(after, "operation"))});
    }
}

}  // namespace

std::string kernel_error_text(int error, const std::string& message) {
    std::string text = error == 0 ? std::string("no error code") : names::error_code(error);
    if (!message.empty()) text += ": " + message;
    return text;
}

std::string render_failure(const plan::Plan& plan, const ApplyResult& result, const SourceSet& sources, bool color) {
    if (!result.failure) return {};
    const ApplyFailure& failure = *result.failure;
    Diagnostic d;
    switch (failure.kind) {
    case ApplyFailure::Kind::refused:
        d.range = plan.ops[*failure.op].source;
        d.message = refused_message(plan, result, failure);
        add_progress_notes(d, result, *failure.op);
        break;
    case ApplyFailure::Kind::interrupted: {
        std::size_t first = failure.op.value_or(0);
        std::size_t last = first;
        while (last < result.outcomes.size() && result.outcomes[last].status == StepStatus::unknown) ++last;
        if (failure.op) d.range = plan.ops[first].source;
        d.message = failure.op && last > first
                        ? fmt::format("lost the kernel's answers to {}: {}", op_range(first, last), failure.message)
                        : fmt::format("could not go on: {}", failure.message);
        if (last > first) d.notes.push_back({SourceRange{}, "they may or may not have been applied; they are undone"});
        break;
    }
    case ApplyFailure::Kind::other_writer:
        d.range = plan.ops[*failure.op].source;
        d.message = fmt::format("{}: podnetc stopped, it sent nothing more", failure.message);
        for (std::size_t i = 1; i < failure.other_changes.size() && i <= kMaxListed; ++i) {
            d.notes.push_back({SourceRange{}, other_writer_text(failure.other_changes[i])});
        }
        d.notes.push_back({SourceRange{}, "what it changed is left as it made it, the rest is undone; the next plan "
                                          "starts from the node as it is then"});
        break;
    case ApplyFailure::Kind::unverified:
        if (failure.problems.empty()) {
            d.message = fmt::format("every operation was applied, but the result could not be verified: {}",
                                    failure.message);
            break;
        }
        d.message = fmt::format("every operation was applied, but the check afterwards found {}",
                                plural(failure.problems.size(), "problem"));
        for (std::size_t i = 0; i < failure.problems.size() && i < kMaxListed; ++i) {
            d.notes.push_back({SourceRange{}, failure.problems[i]});
        }
        if (failure.problems.size() > kMaxListed) {
            d.notes.push_back({SourceRange{}, fmt::format("and {} more", failure.problems.size() - kMaxListed)});
        }
        break;
    }
    return render(sources, d, RenderOptions{color});
}

std::string render_restore(const plan::Plan& plan, const RestoreReport& report, const SourceSet& sources,
                           UndoKind kind, bool color) {
    const bool rollback = kind == UndoKind::rollback;
    std::string others;
    if (!report.changed_by_others.empty()) {
        Diagnostic d;
        d.severity = Severity::note;
        d.message = "meanwhile someone else changed objects podnetc does not own; they are left as they are";
        for (std::size_t i = 0; i < report.changed_by_others.size() && i < kMaxListed; ++i) {
            d.notes.push_back({SourceRange{}, report.changed_by_others[i]});
        }
        others = render(sources, d, RenderOptions{color});
    }
    if (report.restored()) {
        std::string text = fmt::format("podnetc: {}: {} undone; the node is as it was before",
                                       rollback ? "rolled back" : "recovered", plural(report.ops_undone, "operation"));
        if (report.already_undone != 0) {
            text += fmt::format(" ({} had nothing left to undo)", plural(report.already_undone, "undo step"));
        }
        return text + ".\n" + others;
    }
    Diagnostic d;
    d.message = fmt::format("{} incomplete: the node is not as it was before", rollback ? "rollback" : "recovery");
    if (report.read_error) {
        d.notes.push_back({SourceRange{}, fmt::format("it could not be read after the undo: {}", report.read_error->message)});
    }
    for (std::size_t i = 0; i < report.differences.size() && i < kMaxListed; ++i) {
        d.notes.push_back({SourceRange{}, report.differences[i]});
    }
    if (report.differences.size() > kMaxListed) {
        d.notes.push_back({SourceRange{}, fmt::format("and {} more differences", report.differences.size() - kMaxListed)});
    }
    if (report.interrupted) {
        d.notes.push_back({SourceRange{}, fmt::format("the undo could not go on: {}", report.interrupted->message)});
    }
    std::string text = render(sources, d, RenderOptions{color});
    for (std::size_t i = 0; i < report.problems.size() && i < kMaxListed; ++i) {
        const UndoProblem& p = report.problems[i];
        Diagnostic why;
        why.severity = Severity::note;
        why.range = plan.ops[p.op].source;
        const std::string undoing =
            fmt::format("undoing operation {} ({})", p.op + 1, plan::describe_action(plan.ops[p.op].step));
        why.message = p.kernel ? fmt::format("{}, the kernel refused to {}: {}", undoing, plan::describe_action(p.step),
                                             kernel_error_text(p.error, p.message))
                               : fmt::format("{}, {} failed: {}", undoing, plan::describe_action(p.step), p.message);
        text += render(sources, why, RenderOptions{color});
    }
    if (report.problems.size() > kMaxListed) {
        text += fmt::format("note: and {} more undo steps failed\n", report.problems.size() - kMaxListed);
    }
    return text + others;
}

}  // namespace podnetc::rt
