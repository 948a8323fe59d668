#include "runtime/agent/agent_status.hpp"

#include <fmt/format.h>

#include "compiler/json/json_writer.hpp"
#include "runtime/agent/agent_log.hpp"
#include "runtime/state/state_files.hpp"

namespace podnetc::agent {
namespace {

// Unix seconds as UTC text; null for "never".
void write_time(JsonWriter& json, double unix_seconds) {
    if (unix_seconds <= 0) {
        json.null();
        return;
    }
    const auto since_epoch = std::chrono::duration_cast<std::chrono::system_clock::duration>(
        std::chrono::duration<double>(unix_seconds));
    json.value(utc_time_text(std::chrono::system_clock::time_point(since_epoch)));
}

void write_counts(JsonWriter& json, const std::map<std::string, std::uint64_t>& counts) {
    json.begin_object(JsonWriter::Layout::line);
    for (const auto& [word, count] : counts) json.key(word).value(std::uint64_t{count});
    json.end_object();
}

}  // namespace

std::string status_path(const std::string& state_dir, const std::string& node) {
    return fmt::format("{}/agent/{}.json", state_dir, node.empty() ? "node" : node);
}

std::string status_json(const StatusContext& context, const CycleReport& last, const MetricValues& metrics) {
    const AgentOptions& options = *context.options;
    std::string out;
    JsonWriter json(out);
    json.begin_object();
    json.key("format").value(kStatusFormat);
    json.key("node").value(replace_ill_formed_utf8(options.node));
    json.key("file").value(replace_ill_formed_utf8(options.file));
    json.key("pid").value(context.pid);
    json.key("started");
    write_time(json, context.started);
    json.key("drift_policy").value(options.drift == DriftPolicy::enforce ? "enforce" : "report");
    json.key("converged").value(metrics.converged);
    json.key("last_cycle").begin_object();
    json.key("ended");
    write_time(json, metrics.last_cycle_timestamp);
    json.key("trigger").value(context.trigger);
    json.key("result").value(result_word(last.result));
    json.key("summary").value(replace_ill_formed_utf8(last.summary));
    json.key("seconds").value(fmt::format("{:.3f}", context.cycle_seconds));
    json.key("operations").value(std::uint64_t{last.operations});
    json.key("pending").value(std::uint64_t{metrics.pending_changes});
    json.key("pods").value(std::uint64_t{last.pods});
    json.key("drift").begin_array();
    for (const std::string& object : last.drift) json.value(replace_ill_formed_utf8(object));
    json.end_array();
    json.key("problems").begin_array();
    for (const Problem& problem : last.problems) {
        json.begin_object(JsonWriter::Layout::line);
        json.key("severity").value(problem.error ? "error" : "warning");
        json.key("message").value(replace_ill_formed_utf8(problem.message));
        json.end_object();
    }
    json.end_array();
    json.end_object();
    json.key("last_success");
    write_time(json, metrics.last_success_timestamp);
    json.key("last_apply");
    write_time(json, metrics.last_apply_timestamp);
    json.key("cycles");
    write_counts(json, metrics.cycles);
    json.key("drift_repairs").value(metrics.drift_repairs);
    json.key("fights").value(metrics.fights);
    json.end_object();
    out += '\n';
    return out;
}

rt::Result<void> write_status(const StatusContext& context, const CycleReport& last, const MetricValues& metrics) {
    const std::string directory = context.options->state_dir + "/agent";
    if (auto made = rt::ensure_directory(directory); !made) return made;
    return rt::write_state_file(status_path(context.options->state_dir, context.options->node),
                                status_json(context, last, metrics));
}

}  // namespace podnetc::agent
