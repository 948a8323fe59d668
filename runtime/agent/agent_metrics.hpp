// What the agent counts, and its Prometheus text exposition (format 0.0.4) for the
// metrics endpoint. The loop updates it; the endpoint's thread renders it: every
// access takes the lock.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace podnetc::agent {

// Upper bounds (seconds) of the apply duration histogram: a one-pod change takes
// milliseconds, a 500-pod node from scratch about a second.
inline constexpr std::array<double, 11> kApplyBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

struct Histogram {
    std::array<std::uint64_t, kApplyBuckets.size()> buckets{};  // per bound, not cumulative
    std::uint64_t count = 0;
    double sum = 0;
    void observe(double seconds);
};

struct MetricValues {
    std::map<std::string, std::uint64_t> cycles;    // by result word ("applied", "compile_error", …)
    std::map<std::string, std::uint64_t> triggers;  // by trigger word ("file", "kernel", "resync", …)
    std::map<std::string, std::uint64_t> applies;   // transactions by outcome ("committed", "rolled_back", …)
    Histogram apply_duration;
    std::map<std::string, std::uint64_t> owned;     // owned objects by kind, as last read
    std::uint64_t operations_applied = 0;
    std::uint64_t drift_repairs = 0;
    std::uint64_t drift_reported = 0;  // --drift report: what a cycle would have repaired
    std::uint64_t fights = 0;
    std::uint64_t kernel_notifications = 0;  // relevant ones from other writers
    std::uint64_t own_notifications = 0;     // caused by the agent's own transactions
    std::uint64_t notification_overflows = 0;
    std::uint64_t file_events = 0;
    std::uint64_t topology_errors = 0;  // in the file at the last cycle
    std::uint64_t pending_changes = 0;  // operations the node still needs after the last cycle
    bool converged = false;             // the last cycle left the node matching the file
    std::uint64_t pods = 0;
    std::uint64_t namespaces_watched = 0;
    double last_cycle_seconds = 0;
    double last_cycle_timestamp = 0;    // Unix time
    double last_success_timestamp = 0;  // Unix time of the last converged cycle; 0 never
    double last_apply_timestamp = 0;
};

class AgentMetrics {
public:
    template <class F>
    void update(F&& change) {
        std::lock_guard lock(mutex_);
        change(values_);
    }
    MetricValues values() const {
        std::lock_guard lock(mutex_);
        return values_;
    }

private:
    mutable std::mutex mutex_;
    MetricValues values_;
};

std::string prometheus_text(const MetricValues& values);

}  // namespace podnetc::agent
