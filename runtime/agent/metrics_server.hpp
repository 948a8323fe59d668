// The agent's HTTP endpoint (`--metrics HOST:PORT`), served by cpp-httplib on its own
// thread: GET /metrics is the Prometheus text of AgentMetrics; GET /healthz answers
// 200 while the loop completes cycles (at least one within `stale_after`), 503 when
// it is stuck — what a DaemonSet's liveness probe asks; GET /readyz answers 200 once a
// cycle has converged the node (a later broken file keeps it: the node stays as last
// applied), 503 before — the readiness probe.
#pragma once

#include <memory>
#include <string>

#include "runtime/agent/agent_metrics.hpp"
#include "runtime/agent/clock.hpp"
#include "runtime/sys/sys_error.hpp"

namespace podnetc::agent {

struct ListenAddress {
    std::string host;  // "0.0.0.0" for ":PORT"
    int port = 0;
};
// "HOST:PORT", "[V6]:PORT" or ":PORT"; nullopt with `error` when malformed.
std::optional<ListenAddress> parse_listen_address(const std::string& text, std::string& error);

class MetricsServer {
public:
    // Binds at once (a taken port fails here, not later) and serves in the background.
    static rt::Result<std::unique_ptr<MetricsServer>> start(const ListenAddress& address, const AgentMetrics& metrics,
                                                             Duration stale_after);
    ~MetricsServer();  // stops serving and joins the thread
    int port() const;  // the bound port (":0" picks one)

    struct Impl;

private:
    explicit MetricsServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace podnetc::agent
