#include "tools/podnetc/transaction_report.hpp"

#include <cerrno>
#include <cstdio>
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
int undo_exit_status(const rt::UndoEnding& ending, const std::string& state_dir, int restored_status) {
    if (ending.journal_error) {
        fmt::print(stderr, "podnetc: error: {}\n", ending.journal_error->message);
        return ending.restored ? exit_code::error : exit_code::rollback_failed;
    }
    if (!ending.restored) {
        fmt::print(stderr, "podnetc: the journal is kept as {}/{}\n", state_dir, rt::kJournalSetAsideName);
        return exit_code::rollback_failed;
    }
    return restored_status;
}

}  // namespace

void say_stop_signal(int signal, std::string_view during, std::string_view then) {
    fmt::print(stderr, "podnetc: {} arrived during the {}; {}\n", rt::stop_signal_name(signal), during, then);
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

std::optional<TransactionSettings> transaction_settings(const Args& args) {
    auto faults = test_faults_from_environment();
    if (!faults) {
        fmt::print(stderr, "podnetc: {}\n", faults.error());
        return std::nullopt;
    }
    std::string error;
    const auto timeout = lock_timeout(args, error);
    if (!timeout) {
        fmt::print(stderr, "podnetc: {}\n", error);
        return std::nullopt;
    }
    return TransactionSettings{*faults, *timeout};
}

std::optional<rt::Session> open_session(const TransactionSettings& settings, int& exit_status) {
    rt::SessionOptions options;
    options.state_dir = rt::state_dir_from_environment();
    options.lock_timeout = settings.lock_timeout;
    options.faults = settings.faults;
    options.waiting_for_lock = [](const rt::LockBusy& busy) {
        fmt::print(stderr, "podnetc: waiting for the node lock, held by {}\n",
                   rt::describe_lock_holder(busy, std::chrono::system_clock::now()));
    };
    auto session = rt::open_session(options);
    if (!session) {
        fmt::print(stderr, "podnetc: error: {}\n", session.error().message);
        exit_status = session.error().code == EWOULDBLOCK ? exit_code::lock_timeout : exit_code::error;
        return std::nullopt;
    }
    return std::move(*session);
}

int recover_pending(rt::Session& session, bool say_nothing_to_recover, std::optional<int>& stop_signal) {
    auto recovery = rt::recover_pending(session, [](const rt::Journal& j) {
        fmt::print(stderr,
                   "podnetc: an earlier run was interrupted (pid {}, `podnetc {}`, started {}): {} of its {} "
                   "operations may have reached the kernel; undoing them\n",
                   j.info.pid, j.info.command, started_text(j.info.started), group_thousands(j.sent_end),
                   group_thousands(j.plan.ops.size()));
    });
    if (!recovery) {
        fmt::print(stderr, "podnetc: error: {}\n", recovery.error().message);
        return exit_code::error;
    }
    if (!recovery->journal) {
        if (say_nothing_to_recover) fmt::print("Nothing to recover.\n");
        return exit_code::ok;
    }
    const std::string text = rt::render_restore(recovery->journal->plan, recovery->report, recovery->sources,
                                                rt::UndoKind::recovery, use_color(stderr));
    std::fwrite(text.data(), 1, text.size(), stderr);
    stop_signal = recovery->signal;
    return undo_exit_status(recovery->ending, session.state_dir, exit_code::ok);
}

std::optional<OpenedNode> open_node(const TransactionSettings& settings, const std::string& node, int& exit_status) {
    auto session = open_session(settings, exit_status);
    if (!session) return std::nullopt;
    std::optional<int> stop_signal;
    const int recovered = recover_pending(*session, false, stop_signal);
    if (stop_signal) {
        // Asked to stop while recovering: the recovery is done; do not start another transaction.
        say_stop_signal(*stop_signal, "recovery", "it was finished first, and nothing more is done");
        exit_status = recovered != exit_code::ok ? recovered : 128 + *stop_signal;
        return std::nullopt;
    }
    if (recovered != exit_code::ok) {
        exit_status = recovered;
        return std::nullopt;
    }
    auto before = read_live_state(LiveInput{std::nullopt, std::nullopt, node});
    if (!before) {
        fmt::print(stderr, "podnetc: error: {}\n", before.error().message);
        exit_status = exit_code::error;
        return std::nullopt;
    }
    return OpenedNode{std::move(*session), std::move(*before)};
}

int run_and_report(rt::Session& session, rt::TransactionRequest request) {
    ProgressLine progress("applying");
    request.on_progress = [&](std::size_t done, std::size_t total) { progress.update(done, total); };
    const rt::TransactionOutcome outcome = rt::run_transaction(session, request);
    progress.clear();

    int status = exit_code::ok;
    switch (outcome.status) {
    case rt::TransactionStatus::not_started:
        fmt::print(stderr, "podnetc: error: cannot write the journal, nothing was changed: {}\n",
                   outcome.error->message);
        status = exit_code::error;
        break;
    case rt::TransactionStatus::committed:
        for (const rt::SysError& warning : outcome.warnings) {
            fmt::print(stderr, "podnetc: warning: applied, but {}\n", warning.message);
        }
        break;
    case rt::TransactionStatus::uncommitted:
        fmt::print(stderr,
                   "podnetc: error: applied, but the journal could not be removed ({}): the next podnetc will undo "
                   "this change; the applied record is left as it was\n",
                   outcome.error->message);
        status = exit_code::error;
        break;
    case rt::TransactionStatus::rolled_back:
    case rt::TransactionStatus::rollback_incomplete: {
        const bool color = use_color(stderr);
        const rt::ApplyResult& result = *outcome.result;
        const std::string failure =
            rt::render_failure(*request.plan, result, *request.sources, color) +
            rt::render_restore(*request.plan, *result.restore, *request.sources, rt::UndoKind::rollback, color);
        std::fwrite(failure.data(), 1, failure.size(), stderr);
        status = undo_exit_status(outcome.ending, session.state_dir, exit_code::rolled_back);
        break;
    }
    }
    if (outcome.signal) say_stop_signal(*outcome.signal, "transaction", "it was finished first");
    return status;
}

}  // namespace podnetc::cli
