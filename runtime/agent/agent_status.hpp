// The agent's status file, $PODNETC_STATE_DIR/agent/NODE.json, replaced atomically
// after every cycle: what `podnetc status` shows and what a person finds on a node
// without a metrics scraper (docs/AGENT.md, "Status file").
#pragma once

#include <cstdint>
#include <string>

#include "runtime/agent/agent_metrics.hpp"
#include "runtime/agent/agent_options.hpp"
#include "runtime/agent/converge.hpp"
#include "runtime/sys/sys_error.hpp"

namespace podnetc::agent {

inline constexpr std::string_view kStatusFormat = "podnetc-agent-status/1";

struct StatusContext {
    const AgentOptions* options = nullptr;
    std::int64_t pid = 0;
    double started = 0;  // Unix time
    std::string trigger;
    double cycle_seconds = 0;
};

std::string status_path(const std::string& state_dir, const std::string& node);
std::string status_json(const StatusContext& context, const CycleReport& last, const MetricValues& metrics);
rt::Result<void> write_status(const StatusContext& context, const CycleReport& last, const MetricValues& metrics);

}  // namespace podnetc::agent
