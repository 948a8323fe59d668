// Printers and readers of plans.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "compiler/json/json_writer.hpp"
#include "compiler/steps/plan.hpp"
#include "compiler/steps/plan_summary.hpp"
#include "compiler/base/diagnostics.hpp"
#include "compiler/base/source.hpp"

namespace podnetc::plan {

struct TextOptions {
    bool color = false;
    bool show_sources = true;  // "route.pnet:7:1" after each operation
};

// A conflict (or a plan warning) as the diagnostic it is shown as: its declaration's
// line, its notes.
Diagnostic conflict_diagnostic(const Conflict& conflict, Severity severity = Severity::error);

// Human output: + create, ~ change, - delete, grouped by pod, drift in its own
// section, conflicts as diagnostics, a summary line.
std::string to_text(const Plan& plan, const SourceSet& sources, TextOptions options = {});

// Machine output (docs/JSON.md, "Plan"); also the format of `plan --out`.
std::string to_json(const Plan& plan, const SourceSet& sources);
// The same as one value of a larger document (the journal's "plan").
void write_json(JsonWriter& writer, const Plan& plan, const SourceSet& sources);
// A source location as the plan writes it ({file, line, col, offset, length} or
// null), and the operation counts of "summary": also used by the command results.
void write_source(JsonWriter& writer, const SourceSet& sources, SourceRange range);
void write_summary(JsonWriter& writer, const Counts& counts);
// Reads a plan written by to_json. Sources are stored as file path + byte range;
// the files are read back into `sources` (when they still exist) so that errors
// while applying a saved plan still point at the declaring line.
std::optional<Plan> from_json(std::string_view text, SourceSet& sources, std::string& error);
// The same from a document already parsed (a journal's "plan").
std::optional<Plan> from_document(const nlohmann::json& document, SourceSet& sources, std::string& error);

}  // namespace podnetc::plan
