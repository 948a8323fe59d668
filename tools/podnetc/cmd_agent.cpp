#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "runtime/agent/agent_loop.hpp"
#include "runtime/agent/duration_text.hpp"
#include "runtime/agent/metrics_server.hpp"
#include "runtime/state/state_dir.hpp"
#include "tools/podnetc/command.hpp"
#include "tools/podnetc/exit_codes.hpp"
#include "tools/podnetc/reporter.hpp"
#include "tools/podnetc/test_switches.hpp"
#include "tools/podnetc/topology.hpp"
#include "tools/podnetc/transaction_report.hpp"

namespace podnetc::cli {
namespace {

std::optional<agent::LogFormat> log_format(const Args& args, Reporter& reporter) {
    const std::string text = args.value_or("--log-format", "text");
    if (text == "text") return agent::LogFormat::text;
    if (text == "json") return agent::LogFormat::json;
    reporter.error(fmt::format("--log-format takes text or json, not '{}'", text));
    return std::nullopt;
}

// Every option value is checked here, before the agent starts: a malformed one is
// a usage error (exit 64), never a failure of the agent.
std::optional<agent::AgentOptions> agent_options(const Args& args, Reporter& reporter) {
    agent::AgentOptions options;
    options.file = args.positional()[0];
    const NodeChoice node = choose_node(args);
    options.node = node.name;
    options.node_from_hostname = node.from_hostname;
    options.state_dir = rt::state_dir_from_environment();
    if (const auto text = args.value("--resync")) {
        const auto resync = agent::parse_duration(*text);
        if (!resync || resync->count() < 1000) {
            reporter.error(fmt::format("--resync takes a duration of at least 1s (90s, 2m, 1h), not '{}'", *text));
            return std::nullopt;
        }
        options.resync = *resync;
    }
    if (const auto text = args.value("--max-delete")) {
        std::string error;
        const auto limit = plan::parse_deletion_limit(*text, error);
        if (!limit) {
            reporter.error(error);
            return std::nullopt;
        }
        options.max_delete = *limit;
    }
    const std::string drift = args.value_or("--drift", "enforce");
    if (drift != "enforce" && drift != "report") {
        reporter.error(fmt::format("--drift takes enforce or report, not '{}'", drift));
        return std::nullopt;
    }
    options.drift = drift == "enforce" ? agent::DriftPolicy::enforce : agent::DriftPolicy::report;
    if (const auto metrics = args.value("--metrics")) {
        options.metrics_address = *metrics == "none" ? std::nullopt : metrics;
        std::string error;
        if (options.metrics_address && !agent::parse_listen_address(*options.metrics_address, error)) {
            reporter.error(error);
            return std::nullopt;
        }
    }
    const auto settings = transaction_settings(args, reporter);
    if (!settings) return std::nullopt;
    if (args.value("--lock-timeout")) options.lock_timeout = settings->lock_timeout;
    options.faults = settings->faults;
    return options;
}

int run_agent(const Args& args) {
    Reporter reporter(false, false);
    const auto format = log_format(args, reporter);
    if (!format) return exit_code::usage;
    const auto options = agent_options(args, reporter);
    if (!options) return exit_code::usage;
    agent::Log log(*format, stderr, *format == agent::LogFormat::text && std::getenv("JOURNAL_STREAM") != nullptr);
    agent::AgentMetrics metrics;
    return agent::run_agent(*options, log, metrics) == 0 ? exit_code::ok : exit_code::error;
}

}  // namespace

const Command& agent_command() {
    static const Command command{
        CommandSpec{
            "agent",
            "FILE [--node NAME] [--resync DURATION] [--drift enforce|report] [--max-delete N|P%] "
            "[--metrics HOST:PORT] [--log-format text|json] [--lock-timeout S]",
            "Keep the node converged to FILE, unattended: re-apply on every change of FILE or drift of the node.",
            "  Runs in the foreground under a supervisor (systemd, a DaemonSet); logs go to\n"
            "  stderr. At start it undoes what a killed podnetc left behind, then converges.\n"
            "  It re-plans when FILE changes (written in place, renamed over, a git checkout,\n"
            "  a ConfigMap's ..data flip), when another writer changes a link, address,\n"
            "  route or neighbour in the host or an owned pod (rtnetlink notifications,\n"
            "  repaired within a second), on SIGHUP, and every --resync. A FILE that does not\n"
            "  compile is never applied: its diagnostics are logged and the node stays as\n"
            "  last applied. A failed apply is rolled back and retried with backoff; an\n"
            "  object someone keeps changing back is reported as a fight, not repaired in a\n"
            "  loop. The status of the last cycle is in $PODNETC_STATE_DIR/agent/NODE.json\n"
            "  (podnetc status). SIGTERM or SIGINT stop it (a running apply finishes first).\n"
            "  Exit status: 0 stopped by a signal, 1 could not start, 64 usage error.",
            {
                {"--node", "NAME", "the node to converge (default: $PODNETC_NODE, else the hostname)"},
                {"--resync", "DURATION", "re-plan at least this often (default 2m; e.g. 90s, 5m)"},
                {"--drift", "enforce|report", "repair drift (default), or only log and count what would change"},
                {"--max-delete", "N|P%", "refuse a change that deletes more owned pods (default 25%)"},
                {"--metrics", "HOST:PORT", "serve /metrics, /healthz, /readyz over HTTP (default 127.0.0.1:9710; none: off)"},
                {"--log-format", "text|json", "log as text (default) or as one JSON object per line"},
                {"--lock-timeout", "S", "wait at most S seconds for the node lock per cycle (default 30)"},
            },
            1,
            1,
        },
        run_agent,
    };
    return command;
}

}  // namespace podnetc::cli
