#include "tools/podnetc/transaction.hpp"

#include <csignal>
#include <pthread.h>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>
#include <unistd.h>

#include "compiler/base/text_format.hpp"
#include "compiler/steps/plan_summary.hpp"
#include "runtime/apply/apply_report.hpp"
#include "runtime/apply/journal.hpp"
#include "runtime/apply/recovery.hpp"
#include "runtime/state/state_dir.hpp"
#include "tools/podnetc/exit_codes.hpp"
#include "tools/podnetc/live_input.hpp"
#include "tools/podnetc/progress.hpp"
#include "tools/podnetc/terminal.hpp"

namespace podnetc::cli {
namespace {

// While a transaction runs, the signals that ask a process to stop (Ctrl-C, kill,
// a closed terminal) wait: stopping half way is what the journal can repair, but
// there is no reason to make it. They are delivered when the transaction has
// ended, applied or undone (and then end the process as usual).
class DeferredSignals {
public:
    DeferredSignals() {
        sigset_t stop;
        sigemptyset(&stop);
        for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&stop, signal);
        pthread_sigmask(SIG_BLOCK, &stop, &saved_);
    }
    ~DeferredSignals() { pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
    DeferredSignals(const DeferredSignals&) = delete;
    DeferredSignals& operator=(const DeferredSignals&) = delete;

private:
    sigset_t saved_{};
};

std::string started_text(std::int64_t seconds) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm local{};
    localtime_r(&t, &local);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", local.tm_year + 1900, local.tm_mon + 1, local.tm_mday,
                       local.tm_hour, local.tm_min, local.tm_sec);
}

// Ends the journal after an undo: removed when the node is as before, else kept
// aside for inspection. Returns the exit status.
int end_after_undo(const std::string& state_dir, bool restored, int restored_status) {
    auto ended = restored ? rt::remove_journal(state_dir) : rt::set_journal_aside(state_dir);
    if (!ended) {
        fmt::print(stderr, "podnetc: error: {}\n", ended.error().message);
        return restored ? exit_code::error : exit_code::rollback_failed;
    }
    if (!restored) {
        fmt::print(stderr, "podnetc: the journal is kept as {}/{}\n", state_dir, rt::kJournalSetAsideName);
        return exit_code::rollback_failed;
    }
    return restored_status;
}

}  // namespace

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
    auto faults = rt::test_faults_from_environment();
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

std::optional<Session> open_session(std::chrono::milliseconds timeout, int& exit_status) {
    const std::string state_dir = rt::state_dir_from_environment();
    auto lock = rt::acquire_node_lock(state_dir, timeout, [](const rt::LockBusy& busy) {
        fmt::print(stderr, "podnetc: waiting for the node lock, held by {}\n",
                   rt::describe_lock_holder(busy, std::chrono::system_clock::now()));
    });
    if (!lock) {
        fmt::print(stderr, "podnetc: error: {}\n", lock.error().message);
        exit_status = lock.error().code == EWOULDBLOCK ? exit_code::lock_timeout : exit_code::error;
        return std::nullopt;
    }
    rt::ReadOptions read_options;
    read_options.state_dir = state_dir;
    auto transport = rt::KernelTransport::open(read_options);
    if (!transport) {
        fmt::print(stderr, "podnetc: error: {}\n", transport.error().message);
        exit_status = exit_code::error;
        return std::nullopt;
    }
    return Session{state_dir, read_options, std::move(*lock), std::move(*transport)};
}

std::optional<OpenedNode> open_node(const TransactionSettings& settings, const std::string& node, int& exit_status) {
    auto session = open_session(settings.lock_timeout, exit_status);
    if (!session) return std::nullopt;
    if (const int recovered = recover_pending(*session, false); recovered != exit_code::ok) {
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

int recover_pending(Session& session, bool say_nothing_to_recover) {
    SourceSet sources;
    auto journal = rt::read_journal(session.state_dir, sources);
    if (!journal) {
        fmt::print(stderr, "podnetc: error: {}\n", journal.error().message);
        return exit_code::error;
    }
    if (!*journal) {
        if (say_nothing_to_recover) fmt::print("Nothing to recover.\n");
        return exit_code::ok;
    }
    const DeferredSignals deferred;
    const rt::Journal& j = **journal;
    fmt::print(stderr,
               "podnetc: an earlier run was interrupted (pid {}, `podnetc {}`, started {}): {} of its {} operations "
               "may have reached the kernel; undoing them\n",
               j.info.pid, j.info.command, started_text(j.info.started), group_thousands(j.sent_end),
               group_thousands(j.plan.ops.size()));
    const rt::RestoreReport report = rt::recover(j, *session.transport);
    const std::string text = rt::render_restore(j.plan, report, sources, rt::UndoKind::recovery, use_color(stderr));
    std::fwrite(text.data(), 1, text.size(), stderr);
    return end_after_undo(session.state_dir, report.restored(), exit_code::ok);
}

TransactionOutcome run_transaction(Session& session, const TransactionRequest& request) {
    const plan::Plan& plan = *request.plan;
    const DeferredSignals deferred;
    TransactionOutcome outcome;
    const rt::JournalInfo info{request.command, request.node, getpid(), static_cast<std::int64_t>(std::time(nullptr))};
    auto journal = rt::JournalWriter::begin(session.state_dir, info, *request.before, plan, *request.sources);
    if (!journal) {
        fmt::print(stderr, "podnetc: error: cannot write the journal, nothing was changed: {}\n",
                   journal.error().message);
        outcome.exit_status = exit_code::error;
        return outcome;
    }

    if (request.faults.pause_before_send) rt::pause_before_send(*request.faults.pause_before_send);

    ProgressLine progress("applying");
    rt::ApplyOptions options;
    options.fail_at = request.faults.fail_at;
    if (const auto kill_at = request.faults.kill_at) {
        options.after_send = [kill_at](std::size_t first, std::size_t last) {
            if (*kill_at >= first && *kill_at < last) std::raise(SIGKILL);
        };
    }
    options.on_progress = [&](std::size_t done, std::size_t total) { progress.update(done, total); };
    options.verify = request.verify;
    rt::ApplyResult result = rt::apply_plan(plan, *request.before, *session.transport, *journal, options);
    progress.clear();

    if (result.outcome == rt::ApplyOutcome::applied) {
        if (request.on_applied) {
            if (auto done = request.on_applied(); !done) {
                fmt::print(stderr, "podnetc: warning: applied, but {}\n", done.error().message);
            }
        }
        if (auto removed = rt::remove_journal(session.state_dir); !removed) {
            fmt::print(stderr, "podnetc: warning: applied, but the journal could not be removed: {}\n",
                       removed.error().message);
        }
        outcome.exit_status = exit_code::ok;
    } else {
        const bool color = use_color(stderr);
        const std::string failure = rt::render_failure(plan, result, *request.sources, color) +
                                    rt::render_restore(plan, *result.restore, *request.sources, rt::UndoKind::rollback, color);
        std::fwrite(failure.data(), 1, failure.size(), stderr);
        outcome.exit_status = end_after_undo(session.state_dir, result.outcome == rt::ApplyOutcome::rolled_back,
                                             exit_code::rolled_back);
    }
    outcome.result = std::move(result);
    return outcome;
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
