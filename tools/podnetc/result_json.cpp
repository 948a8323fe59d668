#include "tools/podnetc/result_json.hpp"

#include <map>

#include "compiler/json/json_writer.hpp"
#include "compiler/plan_io/plan_output.hpp"
#include "compiler/steps/plan_describe.hpp"

namespace podnetc::cli {
namespace {

constexpr std::string_view kFormat = "podnetc-result/1";

void write_diagnostics(JsonWriter& w, const std::vector<Diagnostic>& list, const SourceSet& sources) {
    w.begin_array();
    for (const Diagnostic& d : list) {
        w.begin_object();
        w.key("severity").value(severity_name(d.severity));
        plan::write_source(w.key("source"), sources, d.range);
        w.key("message").value(replace_ill_formed_utf8(d.message));
        w.key("notes").begin_array();
        for (const DiagnosticNote& note : d.notes) {
            w.begin_object();
            plan::write_source(w.key("source"), sources, note.range);
            w.key("message").value(replace_ill_formed_utf8(note.message));
            w.end_object();
        }
        w.end_array();
        w.end_object();
    }
    w.end_array();
}

OpFate fate_of(const CommandResult& result, std::size_t i) {
    return i < result.fates.size() ? result.fates[i] : OpFate::planned;
}

void write_operations(JsonWriter& w, const CommandResult& result, const SourceSet& sources) {
    w.begin_array();
    if (result.plan) {
        for (std::size_t i = 0; i < result.plan->ops.size(); ++i) {
            const plan::Op& op = result.plan->ops[i];
            w.begin_object();
            w.key("action").value(replace_ill_formed_utf8(plan::describe_action(op.step)));
            w.key("kind").value(plan::step_kind_name(op.step.kind()));
            w.key("netns").value(replace_ill_formed_utf8(op.step.netns()));
            w.key("pod").value(replace_ill_formed_utf8(op.pod));
            w.key("reason").value(plan::reason_name(op.reason));
            plan::write_source(w.key("source"), sources, op.source);
            w.key("status").value(op_fate_name(fate_of(result, i)));
            w.end_object();
        }
    }
    w.end_array();
}

// Operations applied (committed) per namespace, host ("") first, then by name.
void write_namespaces(JsonWriter& w, const CommandResult& result) {
    std::map<std::string, std::size_t> applied;
    if (result.plan) {
        for (std::size_t i = 0; i < result.plan->ops.size(); ++i) {
            if (fate_of(result, i) == OpFate::applied) ++applied[result.plan->ops[i].step.netns()];
        }
    }
    w.begin_array();
    for (const auto& [netns, count] : applied) {
        w.begin_object(JsonWriter::Layout::line);
        w.key("netns").value(replace_ill_formed_utf8(netns)).key("applied").value(std::uint64_t{count});
        w.end_object();
    }
    w.end_array();
}

}  // namespace

std::string_view op_fate_name(OpFate fate) {
    switch (fate) {
    case OpFate::planned: return "planned";
    case OpFate::applied: return "applied";
    case OpFate::undone: return "undone";
    case OpFate::failed: return "failed";
    case OpFate::not_sent: return "not_sent";
    }
    return "planned";
}

std::string result_json(const CommandResult& result, const SourceSet& sources, const std::vector<Diagnostic>& errors,
                        const std::vector<Diagnostic>& warnings) {
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.key("format").value(kFormat);
    w.key("command").value(result.command);
    w.key("node").value(replace_ill_formed_utf8(result.node));
    w.key("outcome").value(result.outcome);
    w.key("exit_status").value(std::int64_t{result.exit_status});
    if (result.plan) {
        plan::write_summary(w.key("summary"), plan::count(*result.plan));
    } else {
        w.key("summary").null();
    }
    w.key("operations");
    write_operations(w, result, sources);
    w.key("namespaces");
    write_namespaces(w, result);
    w.key("rolled_back").value(result.rolled_back);
    if (result.verification) {
        w.key("verification").begin_object();
        w.key("passed").value(result.verification->problems.empty());
        w.key("probes").value(result.verification->probes);
        w.key("problems").begin_array();
        for (const std::string& problem : result.verification->problems) w.value(replace_ill_formed_utf8(problem));
        w.end_array();
        w.end_object();
    } else {
        w.key("verification").null();
    }
    w.key("files").begin_array();
    for (const std::string& file : result.files) w.value(replace_ill_formed_utf8(file));
    w.end_array();
    w.key("milliseconds").value(result.milliseconds);
    w.key("timings");
    if (result.timings) {
        w.begin_array();
        for (const Timings::Phase& phase : result.timings->phases()) {
            w.begin_object(JsonWriter::Layout::line);
            w.key("phase").value(phase.name);
            w.key("microseconds").value(static_cast<std::uint64_t>(phase.time.count() / 1000));
            w.end_object();
        }
        w.end_array();
    } else {
        w.null();
    }
    w.key("errors");
    write_diagnostics(w, errors, sources);
    w.key("warnings");
    write_diagnostics(w, warnings, sources);
    w.end_object();
    out += '\n';
    return out;
}

}  // namespace podnetc::cli
