#include "runtime/agent/agent_loop.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "runtime/agent/agent_status.hpp"
#include "runtime/agent/backoff.hpp"
#include "runtime/agent/converge.hpp"
#include "runtime/agent/debounce.hpp"
#include "runtime/agent/flap_detector.hpp"
#include "runtime/agent/metrics_server.hpp"
#include "runtime/agent/service_notify.hpp"
#include "runtime/netns/netns.hpp"
#include "runtime/netns/netns_registry.hpp"
#include "runtime/sys/unique_fd.hpp"
#include "runtime/transaction/deferred_signals.hpp"
#include "runtime/watch/file_watch.hpp"
#include "runtime/watch/kernel_watch.hpp"

namespace podnetc::agent {
namespace {

using namespace std::chrono_literals;

// An editor's save or a checkout is a burst of events; a cycle starts when it settles.
constexpr Duration kFileQuiet = 300ms, kFileMaxWait = 3s;
// A write that stays open longer than this is no longer waited for.
constexpr Duration kLongestWrite = 10s;
// A foreign change is repaired within a second (a command's burst of notifications is
// microseconds long; a script's next command follows within milliseconds).
constexpr Duration kKernelQuiet = 20ms, kKernelMaxWait = 500ms;
// After a failed apply: 1 s, 2 s, 4 s … up to 5 minutes, with jitter.
constexpr Duration kRetryFirst = 1s, kRetryCap = 5min;
// More than 3 repairs of one object within 2 minutes is a fight with another writer.
constexpr std::size_t kFightRepairs = 3;
constexpr Duration kFightWindow = 2min;

enum class Trigger { start, file, kernel, resync, retry, reload, overflow };

std::string_view trigger_word(Trigger trigger) {
    switch (trigger) {
    case Trigger::start: return "start";
    case Trigger::file: return "file";
    case Trigger::kernel: return "kernel";
    case Trigger::resync: return "resync";
    case Trigger::retry: return "retry";
    case Trigger::reload: return "reload";
    case Trigger::overflow: return "overflow";
    }
    return "start";
}

double unix_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::int64_t millis(Duration duration) { return duration.count(); }

LogLevel level_of(CycleResult result) {
    switch (result) {
    case CycleResult::converged:
    case CycleResult::applied:
    case CycleResult::reported:
    case CycleResult::superseded: return LogLevel::info;
    case CycleResult::fight:
    case CycleResult::refused:
    case CycleResult::rolled_back: return LogLevel::warning;
    default: return LogLevel::error;
    }
}

// What makes two cycles' reports "the same" for the log: a conflict that needs a
// human is said once per change, not at every resync. A converged node after an
// apply is no news either (the kernel's follow-ups of an apply — links reaching
// operstate up — can make the next cycle a no-op check).
std::string signature(const CycleReport& report) {
    const bool converged = report.result == CycleResult::applied || report.result == CycleResult::converged;
    std::string text(converged ? "converged" : result_word(report.result));
    if (!converged) text += '\n' + report.summary;
    for (const Problem& problem : report.problems) text += '\n' + problem.message;
    return text;
}

class Agent {
public:
    Agent(const AgentOptions& options, Log& log, AgentMetrics& metrics, rt::FileWatch file, rt::KernelWatch kernel,
          rt::UniqueFd signals)
        : options_(options),
          log_(log),
          metrics_(metrics),
          file_(std::move(file)),
          kernel_(std::move(kernel)),
          signals_(std::move(signals)),
          retry_(kRetryFirst, kRetryCap, static_cast<std::uint32_t>(getpid())),
          fight_wait_(kFightWindow / 4, kRetryCap, static_cast<std::uint32_t>(getpid()) * 7919u) {}

    int run();

private:
    // A write of the file began less than kLongestWrite ago and is not closed yet.
    bool file_being_written(Clock::time_point now) const;
    std::optional<Trigger> due(Clock::time_point now) const;
    Clock::time_point next_wakeup(Clock::time_point now) const;
    void wait_for_events(Clock::time_point now);
    void take_signal();
    void cycle(Trigger trigger);
    void watch_owned_pods();
    // Reads the file's events (the loop's and a cycle's check alike), marking the start of a write.
    std::size_t take_file_events(Clock::time_point at);
    bool file_changed();
    void log_report(Trigger trigger, const CycleReport& report, Clock::duration took);
    void account(Trigger trigger, const CycleReport& report, Clock::duration took);
    void schedule_after(const CycleReport& report, Clock::time_point now);

    const AgentOptions& options_;
    Log& log_;
    AgentMetrics& metrics_;
    rt::FileWatch file_;
    rt::KernelWatch kernel_;
    rt::UniqueFd signals_;
    ServiceNotifier notifier_;
    Debouncer file_events_{kFileQuiet, kFileMaxWait};
    Debouncer kernel_events_{kKernelQuiet, kKernelMaxWait};
    FlapDetector flaps_{kFightRepairs, kFightWindow};
    Backoff retry_;
    Backoff fight_wait_;
    std::optional<Trigger> pending_ = Trigger::start;
    std::optional<Clock::time_point> retry_at_;  // after a failure or a fight: no kernel-triggered cycle before
    Clock::time_point next_resync_{};
    Clock::time_point next_watchdog_{};
    Clock::time_point writing_since_{};  // when write_in_progress() became true
    std::string last_signature_;
    bool stopping_ = false;
    double started_ = unix_now();
};

bool Agent::file_being_written(Clock::time_point now) const {
    return file_.write_in_progress() && now - writing_since_ < kLongestWrite;
}

std::optional<Trigger> Agent::due(Clock::time_point now) const {
    // Every cycle reads the file: none starts while it is being written.
    if (file_being_written(now)) return std::nullopt;
    if (pending_) return pending_;
    if (file_events_.due(now)) return Trigger::file;
    const bool waiting = retry_at_ && now < *retry_at_;
    if (kernel_events_.due(now) && !waiting) return Trigger::kernel;
    if (retry_at_ && !waiting) return Trigger::retry;
    if (now >= next_resync_) return Trigger::resync;
    return std::nullopt;
}

Clock::time_point Agent::next_wakeup(Clock::time_point now) const {
    // While the file is written, its closing event wakes the loop (or the write is given up on).
    if (file_being_written(now)) {
        Clock::time_point next = writing_since_ + kLongestWrite;
        if (notifier_.watchdog_interval()) next = std::min(next, next_watchdog_);
        return std::max(next, now);
    }
    Clock::time_point next = next_resync_;
    if (const auto file = file_events_.deadline()) next = std::min(next, *file);
    if (const auto kernel = kernel_events_.deadline()) {
        next = std::min(next, retry_at_ ? std::max(*kernel, *retry_at_) : *kernel);
    }
    if (retry_at_) next = std::min(next, *retry_at_);
    if (notifier_.watchdog_interval()) next = std::min(next, next_watchdog_);
    return std::max(next, now);
}

void Agent::take_signal() {
    signalfd_siginfo info{};
    while (read(signals_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        if (info.ssi_signo == SIGHUP) {
            log_.info("reload", "SIGHUP: reading the file and re-planning now");
            pending_ = Trigger::reload;
        } else {
            log_.info("stop", fmt::format("{}: stopping", rt::stop_signal_name(static_cast<int>(info.ssi_signo))));
            stopping_ = true;
        }
    }
}

void Agent::wait_for_events(Clock::time_point now) {
    std::vector<pollfd> fds{{signals_.get(), POLLIN, 0}, {file_.fd(), POLLIN, 0}};
    for (const int fd : kernel_.fds()) fds.push_back({fd, POLLIN, 0});
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_wakeup(now) - now);
    // +1: wake after the deadline, not a moment before it.
    const int ready = poll(fds.data(), fds.size(), static_cast<int>(std::min<std::int64_t>(wait.count() + 1, 60'000)));
    if (ready < 0 && errno != EINTR) {
        log_.write({LogLevel::error, "poll", fmt::format("poll failed: {}", std::strerror(errno)), {}});
        stopping_ = true;
        return;
    }
    const auto at = Clock::now();
    if (fds[0].revents & POLLIN) take_signal();
    if (fds[1].revents & POLLIN) take_file_events(at);
    for (std::size_t i = 2; i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLERR))) continue;
        auto count = kernel_.drain(fds[i].fd);
        if (!count) {
            log_.write({LogLevel::error, "kernel_watch", count.error().message, {}});
            pending_ = Trigger::overflow;
            continue;
        }
        if (count->overflow) {
            pending_ = Trigger::overflow;
            metrics_.update([](MetricValues& v) { ++v.notification_overflows; });
        }
        if (count->relevant > 0) {
            kernel_events_.event(at);
            metrics_.update([&](MetricValues& v) { v.kernel_notifications += count->relevant; });
        }
    }
    if (notifier_.watchdog_interval() && at >= next_watchdog_) {
        notifier_.watchdog();
        next_watchdog_ = at + *notifier_.watchdog_interval();
    }
}

std::size_t Agent::take_file_events(Clock::time_point at) {
    const bool writing = file_.write_in_progress();
    auto events = file_.take_events();
    if (!events) {
        log_.write({LogLevel::error, "file_watch", events.error().message, {}});
        file_events_.event(at);
        return 1;  // something happened that could not be read: count it as a change
    }
    if (*events == 0) return 0;
    if (!writing && file_.write_in_progress()) writing_since_ = at;
    file_events_.event(at);
    metrics_.update([&](MetricValues& v) { v.file_events += *events; });
    return *events;
}

bool Agent::file_changed() { return take_file_events(Clock::now()) > 0; }

void Agent::watch_owned_pods() {
    auto owned = rt::NetnsRegistry(options_.state_dir).list();
    if (!owned) {
        log_.write({LogLevel::warning, "kernel_watch", owned.error().message, {}});
        return;
    }
    kernel_.watch_pods(*owned, std::string(rt::kNetnsRunDir));
}

void Agent::log_report(Trigger trigger, const CycleReport& report, Clock::duration took) {
    const std::string now_signature = signature(report);
    const bool repeated = now_signature == last_signature_;
    last_signature_ = now_signature;
    // A steady state is said once; a change, an apply or a first problem every time.
    if (repeated && report.result != CycleResult::applied) return;
    log_.write({level_of(report.result), result_word(report.result), report.summary, {}},
               {{"trigger", trigger_word(trigger)},
                {"ms", millis(std::chrono::duration_cast<Duration>(took))},
                {"operations", static_cast<std::int64_t>(report.operations)},
                {"drift", static_cast<std::int64_t>(report.drift.size())},
                {"pods", static_cast<std::int64_t>(report.pods)}});
    const bool reporting = options_.drift == DriftPolicy::report;
    for (const std::string& object : report.drift) {
        log_.write({reporting ? LogLevel::warning : LogLevel::info, "drift",
                    fmt::format("{}: {}", reporting ? "drift (left alone)" : "drift repaired", object), {}},
                   {{"object", object}});
    }
    for (const Problem& problem : report.problems) {
        log_.write({problem.error ? LogLevel::error : LogLevel::warning, "problem", problem.message, problem.detail});
    }
}

void Agent::account(Trigger trigger, const CycleReport& report, Clock::duration took) {
    const bool converged = report.result == CycleResult::converged || report.result == CycleResult::applied;
    metrics_.update([&](MetricValues& v) {
        ++v.cycles[std::string(result_word(report.result))];
        ++v.triggers[std::string(trigger_word(trigger))];
        v.topology_errors = report.topology_errors;
        v.pending_changes = converged ? 0 : report.operations;
        v.converged = converged;
        v.pods = report.pods;
        v.namespaces_watched = kernel_.namespaces_watched();
        if (report.owned) {
            v.owned = {{"namespace", report.owned->namespaces}, {"link", report.owned->links},
                       {"address", report.owned->addresses}, {"route", report.owned->routes},
                       {"neighbor", report.owned->neighbors}};
        }
        v.last_cycle_seconds = std::chrono::duration<double>(took).count();
        v.last_cycle_timestamp = unix_now();
        if (converged) v.last_success_timestamp = v.last_cycle_timestamp;
        if (report.apply_seconds) {
            ++v.applies[report.result == CycleResult::applied ? "committed" : std::string(result_word(report.result))];
            v.apply_duration.observe(*report.apply_seconds);
        }
        if (report.result == CycleResult::applied) {
            v.operations_applied += report.operations;
            v.drift_repairs += report.drift.size();
            v.last_apply_timestamp = v.last_cycle_timestamp;
        }
        if (report.result == CycleResult::reported) v.drift_reported += report.drift.size();
        if (report.result == CycleResult::fight) ++v.fights;
    });
    const StatusContext context{&options_, static_cast<std::int64_t>(getpid()), started_,
                                std::string(trigger_word(trigger)), std::chrono::duration<double>(took).count()};
    if (auto written = write_status(context, report, metrics_.values()); !written) {
        log_.write({LogLevel::warning, "status", written.error().message, {}});
    }
    // READY=1 waits for a cycle that decided something.
    if (report.result != CycleResult::superseded) {
        notifier_.cycle_done(fmt::format("{}: {}", result_word(report.result), report.summary));
    }
}

void Agent::schedule_after(const CycleReport& report, Clock::time_point now) {
    if (report.result == CycleResult::applied) {
        for (const std::string& object : report.drift) {
            if (flaps_.repaired(object, now)) {
                log_.write({LogLevel::warning, "fight",
                            fmt::format("{} was repaired {} times within {} s: another writer is changing it; "
                                        "repairs of it pause",
                                        object, kFightRepairs + 1,
                                        std::chrono::duration_cast<std::chrono::seconds>(kFightWindow).count()),
                            {}},
                           {{"object", object}});
            }
        }
    }
    if (report.result == CycleResult::superseded) file_events_.event(now);  // read it again once settled
    if (retried(report.result)) {
        retry_at_ = now + retry_.next();
    } else if (report.result == CycleResult::fight) {
        retry_at_ = now + fight_wait_.next();
    } else {
        retry_.reset();
        fight_wait_.reset();
        retry_at_.reset();
    }
    next_resync_ = now + options_.resync;
}

void Agent::cycle(Trigger trigger) {
    pending_.reset();
    file_events_.fired();
    kernel_events_.fired();
    // The pod sockets would keep namespaces that the plan deletes alive.
    kernel_.close_pods();
    const auto started = Clock::now();
    const CycleReport report = converge(options_, flaps_, started, [this] { return file_changed(); });
    const Clock::duration took = Clock::now() - started;
    // What arrived meanwhile on the host socket is the cycle's own work (or was seen by it).
    if (auto own = kernel_.drain_all(); own) {
        metrics_.update([&](MetricValues& v) { v.own_notifications += own->relevant; });
        if (own->overflow) pending_ = Trigger::overflow;
    }
    watch_owned_pods();
    const auto now = Clock::now();
    schedule_after(report, now);
    log_report(trigger, report, took);
    account(trigger, report, took);
    if (report.signal) {
        if (*report.signal == SIGHUP) {
            pending_ = Trigger::reload;
        } else {
            log_.info("stop", fmt::format("{} arrived during the transaction, which was finished first; stopping",
                                          rt::stop_signal_name(*report.signal)));
            stopping_ = true;
        }
    }
}

int Agent::run() {
    log_.info("start",
              fmt::format("agent for node '{}' watching {} (directories {}), resync every {} s, drift {}",
                          options_.node, options_.file, fmt::join(file_.directories(), ", "),
                          std::chrono::duration_cast<std::chrono::seconds>(options_.resync).count(),
                          options_.drift == DriftPolicy::enforce ? "enforce" : "report"));
    if (notifier_.watchdog_interval()) next_watchdog_ = Clock::now();
    while (!stopping_) {
        const auto now = Clock::now();
        if (const auto trigger = due(now)) {
            cycle(*trigger);
            continue;
        }
        wait_for_events(now);
    }
    notifier_.stopping("stopping");
    return 0;
}

// The stop and reload signals, blocked in every thread (the metrics server's too,
// which is started afterwards and inherits the mask) and read from a signalfd.
rt::Result<rt::UniqueFd> block_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (const int signal : {SIGTERM, SIGINT, SIGQUIT, SIGHUP}) sigaddset(&set, signal);
    if (const int error = pthread_sigmask(SIG_BLOCK, &set, nullptr); error != 0) {
        return rt::fail(error, "block the stop signals");
    }
    rt::UniqueFd fd(signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!fd.valid()) return rt::fail(errno, "signalfd");
    return fd;
}

}  // namespace

int run_agent(const AgentOptions& options, Log& log, AgentMetrics& metrics) {
    auto signals = block_signals();
    auto file = signals ? rt::FileWatch::open(options.file) : rt::Result<rt::FileWatch>(rt::fail(signals.error()));
    auto kernel = file ? rt::KernelWatch::open_host() : rt::Result<rt::KernelWatch>(rt::fail(file.error()));
    if (!kernel) {
        log.write({LogLevel::error, "start", fmt::format("cannot start: {}", kernel.error().message), {}});
        return 1;
    }
    std::unique_ptr<MetricsServer> server;
    if (options.metrics_address) {
        std::string error;
        const auto address = parse_listen_address(*options.metrics_address, error);
        auto started = address ? MetricsServer::start(*address, metrics, 2 * options.resync + std::chrono::minutes(1))
                               : rt::Result<std::unique_ptr<MetricsServer>>(rt::fail_plain(EINVAL, error));
        if (!started) {
            log.write({LogLevel::error, "start", fmt::format("cannot start: {}", started.error().message), {}});
            return 1;
        }
        server = std::move(*started);
        log.info("metrics", fmt::format("metrics on http://{}:{}/metrics", address->host, server->port()),
                 {{"port", static_cast<std::int64_t>(server->port())}});
    }
    Agent agent(options, log, metrics, std::move(*file), std::move(*kernel), std::move(*signals));
    return agent.run();
}

}  // namespace podnetc::agent
