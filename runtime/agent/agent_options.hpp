// How `podnetc agent` runs (docs/AGENT.md): what it converges, how often it re-plans
// without being asked, what it may delete, and whether it repairs drift at all.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/plan/deletion_budget.hpp"
#include "runtime/agent/clock.hpp"
#include "runtime/apply/apply_faults.hpp"

namespace podnetc::agent {

// enforce: repair drift (and apply file changes). report: log and count what a
// cycle would change, change nothing — a cautious first rollout.
enum class DriftPolicy { enforce, report };

inline constexpr Duration kDefaultResync = std::chrono::minutes(2);
inline constexpr std::string_view kDefaultMetricsAddress = "127.0.0.1:9710";

struct AgentOptions {
    std::string file;
    std::string node;
    bool node_from_hostname = false;
    Duration resync = kDefaultResync;
    plan::DeletionLimit max_delete = plan::default_deletion_limit;
    DriftPolicy drift = DriftPolicy::enforce;
    std::optional<std::string> metrics_address = std::string(kDefaultMetricsAddress);  // nullopt: none
    std::string state_dir;
    // A manual `podnetc apply` holding the node lock makes a cycle wait this long,
    // then fail (and be retried with backoff).
    std::chrono::milliseconds lock_timeout{std::chrono::seconds(30)};
    rt::TestFaults faults;
};

}  // namespace podnetc::agent
