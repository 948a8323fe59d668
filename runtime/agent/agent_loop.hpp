// `podnetc agent`: the loop that keeps one node converged (docs/AGENT.md). It runs in
// the foreground under a supervisor; it never daemonizes.
//
// It waits (poll, never a timer loop) on: the topology file's directories (inotify),
// rtnetlink notifications in the host and every owned pod namespace, its stop and
// reload signals (signalfd), and the next deadline — a settled burst of events, the
// periodic resync, a retry after a failure, the systemd watchdog. Each cycle is one
// converge(); the notifications its own transaction caused are read and set aside
// afterwards, so its own applies do not start another cycle.
//
// SIGTERM, SIGINT, SIGQUIT: stop (a running transaction is finished first); SIGHUP:
// read the file and re-plan now.
#pragma once

#include "runtime/agent/agent_log.hpp"
#include "runtime/agent/agent_metrics.hpp"
#include "runtime/agent/agent_options.hpp"

namespace podnetc::agent {

// Exit status: 0 after a stop signal, 1 when the agent could not start.
int run_agent(const AgentOptions& options, Log& log, AgentMetrics& metrics);

}  // namespace podnetc::agent
