#include "tools/podnetc/transaction_report.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

#include "compiler/base/text_format.hpp"
#include "runtime/apply/apply_report.hpp"
#include "runtime/state/state_dir.hpp"
#include "runtime/transaction/deferred_signals.hpp"
#include "runtime/transaction/pending_recovery.hpp"
#include "tools/podnetc/exit_codes.hpp"
#include "tools/podnetc/live_input.hpp"
#include "tools/podnetc/progress.hpp"
#include "tools/podnetc/reporter.hpp"
#include "tools/podnetc/terminal.hpp"
#include "tools/podnetc/test_switches.hpp"

namespace podnetc::cli {
namespace {

std::string started_text(std::int64_t seconds) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm local{};
    localtime_r(&t, &local);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", local.tm_year + 1900, local.tm_mon + 1, local.tm_mday,
                       local.tm_hour, local.tm_min, local.tm_sec);
}

// How an undone transaction's journal ended, as an exit status (`restored_status`
// when the node is as before and the journal is gone).
int undo_exit_status(Reporter& reporter, const rt::UndoEnding& ending, const std::string& state_dir,
                     int restored_status) {
    if (ending.journal_error) {
        reporter.error(ending.journal_error->message);
        return ending.restored ? exit_code::error : exit_code::rollback_failed;
    }
    if (!ending.restored) {
        reporter.error(fmt::format("the node could not be restored; the journal is kept as {}/{}", state_dir,
                                   rt::kJournalSetAsideName));
        return exit_code::rollback_failed;
    }
    return restored_status;
}

}  // namespace

void say_stop_signal(Reporter& reporter, int signal, std::string_view during, std::string_view then) {
    reporter.info(fmt::format("{} arrived during the {}; {}", rt::stop_signal_name(signal), during, then));
}

std::optional<std::chrono::milliseconds> lock_timeout(const Args& args, std::string& error) {
    const auto text = args.value("--lock-timeout");
    if (!text) return std::chrono::milliseconds(kDefaultLockTimeout);
    char* end = nullptr;
    const double seconds = std::strtod(text->c_str(), &end);
    if (text->empty() || end != text->c_str() + text->size() || !(seconds >= 0) || seconds > 86400) {
        error = fmt::format("--lock-timeout takes seconds (0 to 86400), not '{}'", *text);
        return std::nullopt;
    }
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

std::optional<TransactionSettings> transaction_settings(const Args& args, Reporter& reporter) {
    auto faults = test_faults_from_environment();
    if (!faults) {
        reporter.error(faults.error());
        return std::nullopt;
    }
    std::string error;
    const auto timeout = lock_timeout(args, error);
    if (!timeout) {
        reporter.error(error);
        return std::nullopt;
    }
    return TransactionSettings{*faults, *timeout};
}

std::optional<rt::Session> open_session(const TransactionSettings& settings, Reporter& reporter, int& exit_status) {
    rt::SessionOptions options;
    options.state_dir = rt::state_dir_from_environment();
    options.lock_timeout = settings.lock_timeout;
    options.faults = settings.faults;
    options.waiting_for_lock = [&reporter](const rt::LockBusy& busy) {
        reporter.info(fmt::format("waiting for the node lock, held by {}",
                                  rt::describe_lock_holder(busy, std::chrono::system_clock::now())));
    };
    auto session = rt::open_session(options);
    if (!session) {
        reporter.error(session.error().message);
        exit_status = session.error().code == EWOULDBLOCK ? exit_code::lock_timeout : exit_code::error;
        return std::nullopt;
    }
    return std::move(*session);
}

int recover_pending(rt::Session& session, Reporter& reporter, std::optional<RecoveryReport>& recovered,
                    std::optional<int>& stop_signal) {
    auto recovery = rt::recover_pending(session, [&reporter](const rt::Journal& j) {
        reporter.warning(fmt::format("an earlier run was interrupted (pid {}, `podnetc {}`, started {}): {} of its {} "
                                     "operations may have reached the kernel; undoing them",
                                     j.info.pid, j.info.command, started_text(j.info.started),
                                     group_thousands(j.sent_end), group_thousands(j.plan.ops.size())));
    });
    if (!recovery) {
        reporter.error(recovery.error().message);
        return exit_code::error;
    }
    if (!recovery->journal) return exit_code::ok;
    const std::string text = rt::render_restore(recovery->journal->plan, recovery->report, recovery->sources,
                                                rt::UndoKind::recovery, use_color(stderr));
    stop_signal = recovery->signal;
    reporter.block(text, recovery->ending.journal_error || !recovery->ending.restored);
    const int status = undo_exit_status(reporter, recovery->ending, session.state_dir, exit_code::ok);
    recovered = RecoveryReport{recovery->journal->info.command, std::move(recovery->journal->plan),
                               std::move(recovery->sources), recovery->report.ops_undone};
    return status;
}

std::optional<OpenedNode> open_node(const TransactionSettings& settings, const std::string& node, Reporter& reporter,
                                    int& exit_status) {
    auto session = open_session(settings, reporter, exit_status);
    if (!session) return std::nullopt;
    std::optional<int> stop_signal;
    std::optional<RecoveryReport> recovery;
    const int recovered = recover_pending(*session, reporter, recovery, stop_signal);
    if (stop_signal) {
        // Asked to stop while recovering: the recovery is done; do not start another transaction.
        say_stop_signal(reporter, *stop_signal, "recovery", "it was finished first, and nothing more is done");
        exit_status = recovered != exit_code::ok ? recovered : 128 + *stop_signal;
        return std::nullopt;
    }
    if (recovered != exit_code::ok) {
        exit_status = recovered;
        return std::nullopt;
    }
    auto before = read_live_state(LiveInput{std::nullopt, std::nullopt, node});
    if (!before) {
        reporter.error(before.error().message);
        exit_status = exit_code::error;
        return std::nullopt;
    }
    return OpenedNode{std::move(*session), std::move(*before)};
}

namespace {

// What became of each operation, from how the transaction ended.
std::vector<OpFate> fates_of(const rt::TransactionOutcome& outcome, std::size_t ops) {
    switch (outcome.status) {
    case rt::TransactionStatus::not_started: return std::vector<OpFate>(ops, OpFate::not_sent);
    case rt::TransactionStatus::committed:
    case rt::TransactionStatus::uncommitted: return std::vector<OpFate>(ops, OpFate::applied);
    case rt::TransactionStatus::rolled_back:
    case rt::TransactionStatus::rollback_incomplete: break;
    }
    std::vector<OpFate> fates;
    for (const rt::StepOutcome& step : outcome.result->outcomes) {
        switch (step.status) {
        case rt::StepStatus::done: fates.push_back(OpFate::undone); break;
        case rt::StepStatus::failed:
        case rt::StepStatus::unknown: fates.push_back(OpFate::failed); break;
        case rt::StepStatus::not_run: fates.push_back(OpFate::not_sent); break;
        }
    }
    fates.resize(ops, OpFate::not_sent);
    return fates;
}

std::string_view outcome_name(rt::TransactionStatus status) {
    switch (status) {
    case rt::TransactionStatus::not_started: return "not_started";
    case rt::TransactionStatus::committed: return "applied";
    case rt::TransactionStatus::uncommitted: return "uncommitted";
    case rt::TransactionStatus::rolled_back: return "rolled_back";
    case rt::TransactionStatus::rollback_incomplete: return "rollback_incomplete";
    }
    return "not_started";
}

}  // namespace

int run_and_report(rt::Session& session, rt::TransactionRequest request, Reporter& reporter, CommandResult& result) {
    ProgressLine progress("applying", !reporter.quiet());
    request.on_progress = [&](std::size_t done, std::size_t total) { progress.update(done, total); };
    const rt::TransactionOutcome outcome = rt::run_transaction(session, request);
    progress.clear();
    if (result.timings) result.timings->add_transaction(outcome);
    result.fates = fates_of(outcome, request.plan->ops.size());
    result.outcome = outcome_name(outcome.status);
    result.rolled_back = outcome.status == rt::TransactionStatus::rolled_back ||
                         outcome.status == rt::TransactionStatus::rollback_incomplete;
    if (outcome.status == rt::TransactionStatus::committed || outcome.status == rt::TransactionStatus::uncommitted) {
        result.verification = Verification{};
    } else if (outcome.result && outcome.result->failure &&
               outcome.result->failure->kind == rt::ApplyFailure::Kind::unverified) {
        result.verification = Verification{outcome.result->failure->problems, std::nullopt};
    }

    int status = exit_code::ok;
    switch (outcome.status) {
    case rt::TransactionStatus::not_started:
        reporter.error(fmt::format("cannot write the journal, nothing was changed: {}", outcome.error->message));
        status = exit_code::error;
        break;
    case rt::TransactionStatus::committed:
        for (const rt::SysError& warning : outcome.warnings) {
            reporter.warning(fmt::format("applied, but {}", warning.message));
        }
        break;
    case rt::TransactionStatus::uncommitted:
        reporter.error(fmt::format("applied, but the journal could not be removed ({}): the next podnetc will undo "
                                   "this change; the applied record is left as it was",
                                   outcome.error->message));
        status = exit_code::error;
        break;
    case rt::TransactionStatus::rolled_back:
    case rt::TransactionStatus::rollback_incomplete: {
        const bool color = use_color(stderr);
        const rt::ApplyResult& applied = *outcome.result;
        const std::string failure =
            rt::render_failure(*request.plan, applied, *request.sources, color) +
            rt::render_restore(*request.plan, *applied.restore, *request.sources, rt::UndoKind::rollback, color);
        reporter.block(failure, true);
        if (applied.failure) {
            const rt::ApplyFailure& f = *applied.failure;
            reporter.record(Diagnostic{Severity::error, f.op ? request.plan->ops[*f.op].source : SourceRange{},
                                       f.message.empty() ? std::string(std::strerror(f.error)) : f.message, {}});
        }
        status = undo_exit_status(reporter, outcome.ending, session.state_dir, exit_code::rolled_back);
        break;
    }
    }
    if (outcome.signal) say_stop_signal(reporter, *outcome.signal, "transaction", "it was finished first");
    return status;
}

}  // namespace podnetc::cli
