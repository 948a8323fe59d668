#include "runtime/agent/agent_metrics.hpp"

#include <fmt/format.h>

namespace podnetc::agent {
namespace {

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

template <class T>
void sample(std::string& out, std::string_view name, T value) {
    out += fmt::format("{} {}\n", name, value);
}

void labelled(std::string& out, std::string_view name, std::string_view label,
              const std::map<std::string, std::uint64_t>& counts) {
    for (const auto& [word, count] : counts) out += fmt::format("{}{{{}=\"{}\"}} {}\n", name, label, word, count);
}

}  // namespace

std::string prometheus_text(const MetricValues& v) {
    std::string out;
    family(out, "podnetc_agent_cycles_total", "counter", "Convergence cycles, by result.");
    labelled(out, "podnetc_agent_cycles_total", "result", v.cycles);
    family(out, "podnetc_agent_cycle_triggers_total", "counter", "Convergence cycles, by what started them.");
    labelled(out, "podnetc_agent_cycle_triggers_total", "trigger", v.triggers);
    family(out, "podnetc_agent_operations_applied_total", "counter", "Kernel operations applied and committed.");
    sample(out, "podnetc_agent_operations_applied_total", v.operations_applied);
    family(out, "podnetc_agent_drift_repaired_total", "counter",
           "Owned objects changed by someone else and put back.");
    sample(out, "podnetc_agent_drift_repaired_total", v.drift_repaired);
    family(out, "podnetc_agent_drift_reported_total", "counter",
           "Drift found and left alone (--drift report), counted per cycle.");
    sample(out, "podnetc_agent_drift_reported_total", v.drift_reported);
    family(out, "podnetc_agent_fights_total", "counter",
           "Times an object was found changed back again and again (another writer), repairs paused.");
    sample(out, "podnetc_agent_fights_total", v.fights);
    family(out, "podnetc_agent_kernel_notifications_total", "counter",
           "rtnetlink notifications that can mean drift, from other writers.");
    sample(out, "podnetc_agent_kernel_notifications_total", v.kernel_notifications);
    family(out, "podnetc_agent_own_notifications_total", "counter",
           "rtnetlink notifications caused by the agent's own transactions (ignored).");
    sample(out, "podnetc_agent_own_notifications_total", v.own_notifications);
    family(out, "podnetc_agent_notification_overflows_total", "counter",
           "Times notifications were lost (ENOBUFS) and the node was re-planned.");
    sample(out, "podnetc_agent_notification_overflows_total", v.notification_overflows);
    family(out, "podnetc_agent_file_events_total", "counter", "Inotify events about the topology file.");
    sample(out, "podnetc_agent_file_events_total", v.file_events);
    family(out, "podnetc_agent_file_compiles", "gauge", "1 when the topology file compiled at the last cycle.");
    sample(out, "podnetc_agent_file_compiles", v.file_compiles ? 1 : 0);
    family(out, "podnetc_agent_converged", "gauge", "1 when the last cycle left the node matching the file.");
    sample(out, "podnetc_agent_converged", v.converged ? 1 : 0);
    family(out, "podnetc_agent_pods", "gauge", "Pods the file declares for this node.");
    sample(out, "podnetc_agent_pods", v.pods);
    family(out, "podnetc_agent_namespaces_watched", "gauge", "Network namespaces with a notification socket.");
    sample(out, "podnetc_agent_namespaces_watched", v.namespaces_watched);
    family(out, "podnetc_agent_last_cycle_duration_seconds", "gauge", "How long the last cycle took.");
    sample(out, "podnetc_agent_last_cycle_duration_seconds", fmt::format("{:.6f}", v.last_cycle_seconds));
    family(out, "podnetc_agent_last_cycle_timestamp_seconds", "gauge", "When the last cycle ended (Unix time).");
    sample(out, "podnetc_agent_last_cycle_timestamp_seconds", fmt::format("{:.3f}", v.last_cycle_timestamp));
    family(out, "podnetc_agent_last_success_timestamp_seconds", "gauge",
           "When a cycle last left the node converged (Unix time; 0: never).");
    sample(out, "podnetc_agent_last_success_timestamp_seconds", fmt::format("{:.3f}", v.last_success_timestamp));
    family(out, "podnetc_agent_last_apply_timestamp_seconds", "gauge",
           "When the agent last committed a change (Unix time; 0: never).");
    sample(out, "podnetc_agent_last_apply_timestamp_seconds", fmt::format("{:.3f}", v.last_apply_timestamp));
    return out;
}

}  // namespace podnetc::agent
