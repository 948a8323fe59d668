#include "runtime/agent/agent_metrics.hpp"

#include <fmt/format.h>

namespace podnetc::agent {
namespace {

class Exposition {
public:
    explicit Exposition(std::string& out) : out_(out) {}

    void family(std::string_view name, std::string_view type, std::string_view help) {
        out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
    }
    template <class T>
    void one(std::string_view name, std::string_view type, std::string_view help, T value) {
        family(name, type, help);
        out_ += fmt::format("{} {}\n", name, value);
    }
    void labelled(std::string_view name, std::string_view type, std::string_view help, std::string_view label,
                  const std::map<std::string, std::uint64_t>& counts) {
        family(name, type, help);
        for (const auto& [word, count] : counts) out_ += fmt::format("{}{{{}=\"{}\"}} {}\n", name, label, word, count);
    }
    void histogram(std::string_view name, std::string_view help, const Histogram& h) {
        family(name, "histogram", help);
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < kApplyBuckets.size(); ++i) {
            cumulative += h.buckets[i];
            out_ += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, kApplyBuckets[i], cumulative);
        }
        out_ += fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n{}_sum {:.6f}\n{}_count {}\n", name, h.count, name, h.sum,
                            name, h.count);
    }

private:
    std::string& out_;
};

std::string seconds(double value) { return fmt::format("{:.3f}", value); }

}  // namespace

void Histogram::observe(double value) {
    ++count;
    sum += value;
    for (std::size_t i = 0; i < kApplyBuckets.size(); ++i) {
        if (value <= kApplyBuckets[i]) {
            ++buckets[i];
            return;
        }
    }
}

std::string prometheus_text(const MetricValues& v) {
    std::string out;
    Exposition e(out);
    e.one("podnetc_up", "gauge", "1 while the agent runs.", 1);
    e.labelled("podnetc_cycles_total", "counter", "Convergence cycles, by result.", "result", v.cycles);
    e.labelled("podnetc_cycle_triggers_total", "counter", "Convergence cycles, by what started them.", "trigger",
               v.triggers);
    e.labelled("podnetc_applies_total", "counter", "Transactions run, by outcome.", "result", v.applies);
    e.histogram("podnetc_apply_duration_seconds", "How long transactions took (journal to record).",
                v.apply_duration);
    e.one("podnetc_operations_applied_total", "counter", "Kernel operations applied and committed.",
          v.operations_applied);
    e.one("podnetc_drift_repairs_total", "counter", "Owned objects changed by someone else and put back.",
          v.drift_repairs);
    e.one("podnetc_drift_reported_total", "counter", "Drift found and left alone (--drift report), per cycle.",
          v.drift_reported);
    e.one("podnetc_fights_total", "counter",
          "Cycles that found an object another writer keeps changing back, and paused its repairs.", v.fights);
    e.labelled("podnetc_owned_objects", "gauge", "Objects podnetc owns on the node, by kind, as last read.", "kind",
               v.owned);
    e.one("podnetc_pending_changes", "gauge", "Operations the node still needs after the last cycle.",
          v.pending_changes);
    e.one("podnetc_topology_errors", "gauge", "Errors in the topology file at the last cycle (0: it compiles).",
          v.topology_errors);
    e.one("podnetc_converged", "gauge", "1 when the last cycle left the node matching the file.", v.converged ? 1 : 0);
    e.one("podnetc_pods", "gauge", "Pods the file declares for this node.", v.pods);
    e.one("podnetc_namespaces_watched", "gauge", "Network namespaces with a notification socket.",
          v.namespaces_watched);
    e.one("podnetc_kernel_notifications_total", "counter",
          "rtnetlink notifications from other writers that can mean drift.", v.kernel_notifications);
    e.one("podnetc_own_notifications_total", "counter",
          "rtnetlink notifications caused by the agent's own transactions (set aside).", v.own_notifications);
    e.one("podnetc_notification_overflows_total", "counter",
          "Times notifications were lost (ENOBUFS) and the node was re-planned.", v.notification_overflows);
    e.one("podnetc_file_events_total", "counter", "Inotify events in the topology file's directories.",
          v.file_events);
    e.one("podnetc_last_cycle_duration_seconds", "gauge", "How long the last cycle took.",
          fmt::format("{:.6f}", v.last_cycle_seconds));
    e.one("podnetc_last_cycle_timestamp_seconds", "gauge", "When the last cycle ended (Unix time).",
          seconds(v.last_cycle_timestamp));
    e.one("podnetc_last_success_timestamp_seconds", "gauge",
          "When a cycle last left the node converged (Unix time; 0: never).", seconds(v.last_success_timestamp));
    e.one("podnetc_last_apply_timestamp_seconds", "gauge", "When the agent last committed a change (Unix time; 0: never).",
          seconds(v.last_apply_timestamp));
    return out;
}

}  // namespace podnetc::agent
