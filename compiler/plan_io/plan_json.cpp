// The machine plan (plan_output.hpp; docs/JSON.md, "Plan"): written by `plan
// --json` and `plan --out`, read back by `apply --plan`.
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/json/json_bytes.hpp"
#include "compiler/steps/plan_json_step.hpp"
#include "compiler/plan_io/plan_output.hpp"
#include "compiler/steps/plan_summary.hpp"

namespace podnetc::plan {

void write_source(JsonWriter& w, const SourceSet& sources, SourceRange range) {
    if (!range.known()) {
        w.null();
        return;
    }
    const SourceFile& file = sources.file(range.file);
    const LineCol lc = file.line_col(range.offset);
    w.begin_object();
    w.key("file").value(replace_ill_formed_utf8(file.path())).key("line").value(lc.line).key("col").value(lc.col);
    w.key("offset").value(range.offset).key("length").value(range.length);
    w.end_object();
}

void write_summary(JsonWriter& w, const Counts& c) {
    w.begin_object();
    w.key("create").value(std::uint64_t{c.create}).key("change").value(std::uint64_t{c.change});
    w.key("delete").value(std::uint64_t{c.remove}).key("adopt").value(std::uint64_t{c.adopt});
    w.key("drift").value(std::uint64_t{c.drift}).key("conflicts").value(std::uint64_t{c.conflicts});
    w.end_object();
}

namespace {

using json = nlohmann::json;

constexpr std::string_view kFormat = "podnetc-plan/1";

Reason reason_from(const std::string& name) {
    for (const Reason r : {Reason::missing, Reason::differs, Reason::undeclared, Reason::drift, Reason::adopt}) {
        if (reason_name(r) == name) return r;
    }
    throw std::runtime_error(fmt::format("unknown reason '{}'", name));
}

const json& field(const json& j, const char* name) {
    if (!j.is_object() || !j.contains(name)) throw std::runtime_error(fmt::format("missing field '{}'", name));
    return j.at(name);
}

std::string text_field(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_string()) throw std::runtime_error(fmt::format("field '{}' must be a string", name));
    return v.get<std::string>();
}

std::uint32_t count_field(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() > 0xffffffffu) {
        throw std::runtime_error(fmt::format("field '{}' must be an unsigned 32-bit number", name));
    }
    return v.get<std::uint32_t>();
}

struct Location {
    std::uint32_t line = 0, col = 0, offset = 0, length = 0;
};

Location location_from_json(const json& j) {
    Location l{count_field(j, "line"), count_field(j, "col"), count_field(j, "offset"), count_field(j, "length")};
    if (l.line == 0 || l.col == 0 || l.offset + 2 < l.line + l.col) {
        throw std::runtime_error(fmt::format("inconsistent source location {}:{}", l.line, l.col));
    }
    return l;
}

// Text in which every location falls on its line and column, for a source file
// that is gone or changed since the plan was written: locations stay exact, the
// excerpts are blank. Lines without a location get their newlines right before
// the next known line.
std::string placeholder_text(const std::vector<Location>& locations) {
    struct Line {
        std::uint32_t start = 0;
        std::uint32_t last_offset = 0;  // the last location on it
    };
    std::map<std::uint32_t, Line> lines;
    std::uint32_t size = 0;
    for (const Location& l : locations) {
        const std::uint32_t start = l.offset - (l.col - 1);
        auto [it, added] = lines.emplace(l.line, Line{start, l.offset});
        if (!added && it->second.start != start) throw std::runtime_error("inconsistent source locations");
        it->second.last_offset = std::max(it->second.last_offset, l.offset);
        size = std::max(size, l.offset + l.length);
    }
    std::string text(size, ' ');
    std::uint32_t previous_line = 1;
    std::optional<std::uint32_t> previous_last;
    for (const auto& [number, line] : lines) {
        const std::uint32_t newlines = number - previous_line;
        if (newlines > line.start || (newlines > 0 && previous_last && line.start - newlines <= *previous_last)) {
            throw std::runtime_error("inconsistent source locations");
        }
        for (std::uint32_t i = 1; i <= newlines; ++i) text[line.start - i] = '\n';
        previous_line = number;
        previous_last = line.last_offset;
    }
    return text;
}

// Source files are read once per path. A file that is gone, or no longer matches
// the plan's line:col locations, is replaced by a placeholder.
class SourceReader {
public:
    explicit SourceReader(SourceSet& sources) : sources_(sources) {
        for (FileId id = 1; id <= sources_.size(); ++id) ids_.emplace(sources_.file(id).path(), id);
    }

    // First pass: every location of the plan.
    void note(const json& j) {
        if (!j.is_null()) wanted_[text_field(j, "file")].push_back(location_from_json(j));
    }

    void load() {
        for (auto& [path, locations] : wanted_) {
            FileId id = existing(path);
            if (id == 0 || !matches(sources_.file(id), locations)) id = sources_.add(path, placeholder_text(locations));
            ids_[path] = id;
        }
    }

    // Second pass.
    SourceRange range(const json& j) const {
        if (j.is_null()) return SourceRange{};
        const Location l = location_from_json(j);
        return SourceRange{ids_.at(text_field(j, "file")), l.offset, l.length};
    }

private:
    FileId existing(const std::string& path) {
        const auto it = ids_.find(path);
        if (it != ids_.end()) return it->second;
        std::ifstream in(path, std::ios::binary);
        if (!in) return 0;
        std::ostringstream text;
        text << in.rdbuf();
        return sources_.add(path, std::move(text).str());
    }

    static bool matches(const SourceFile& file, const std::vector<Location>& locations) {
        for (const Location& l : locations) {
            if (l.offset + l.length > file.text().size()) return false;
            const LineCol lc = file.line_col(l.offset);
            if (lc.line != l.line || lc.col != l.col) return false;
        }
        return true;
    }

    SourceSet& sources_;
    std::map<std::string, FileId> ids_;
    std::map<std::string, std::vector<Location>> wanted_;
};

// Conflicts and warnings: [{source, message, notes}]. Warnings are written only when
// there are some, so plans without them read as they always did.
void write_problems(JsonWriter& w, const std::vector<Conflict>& problems, const SourceSet& sources) {
    w.begin_array();
    for (const Conflict& problem : problems) {
        w.begin_object();
        write_source(w.key("source"), sources, problem.source);
        w.key("message").value(problem.message).key("notes").begin_array();
        for (const std::string& note : problem.notes) w.value(note);
        w.end_array();
        w.end_object();
    }
    w.end_array();
}

const json kNoProblems = json::array();

const json& problems_field(const json& j, const char* name, bool required) {
    if (!required && j.is_object() && !j.contains(name)) return kNoProblems;
    const json& problems = field(j, name);
    if (!problems.is_array()) throw std::runtime_error(fmt::format("'{}' must be an array", name));
    return problems;
}

std::vector<Conflict> problems_from_json(const json& problems, const SourceReader& reader) {
    std::vector<Conflict> out;
    for (const json& c : problems) {
        Conflict problem;
        problem.source = reader.range(field(c, "source"));
        problem.message = text_field(c, "message");
        for (const json& note : field(c, "notes")) {
            if (!note.is_string()) throw std::runtime_error("notes must be strings");
            problem.notes.push_back(note.get<std::string>());
        }
        out.push_back(std::move(problem));
    }
    return out;
}

std::vector<Step> steps_from_json(const json& j) {
    if (!j.is_array()) throw std::runtime_error("'inverse' must be an array");
    std::vector<Step> out;
    for (const json& s : j) out.push_back(step_from_json(s));
    return out;
}

}  // namespace

void write_json(JsonWriter& w, const Plan& plan, const SourceSet& sources) {
    const Counts c = count(plan);
    w.begin_object();
    w.key("format").value(kFormat).key("node").value(plan.node).key("state_fingerprint").value(plan.state_fingerprint);
    write_summary(w.key("summary"), c);
    w.key("ops").begin_array();
    for (const Op& op : plan.ops) {
        w.begin_object();
        write_step(w.key("step"), op.step);
        w.key("reason").value(reason_name(op.reason)).key("detail").value(op.detail).key("pod").value(op.pod);
        write_source(w.key("source"), sources, op.source);
        w.key("inverse").begin_array();
        for (const Step& step : op.inverse) write_step(w, step);
        w.end_array();
        w.end_object();
    }
    w.end_array();
    write_problems(w.key("conflicts"), plan.conflicts, sources);
    if (!plan.warnings.empty()) write_problems(w.key("warnings"), plan.warnings, sources);
    w.end_object();
}

std::string to_json(const Plan& plan, const SourceSet& sources) {
    std::string out;
    JsonWriter w(out);
    write_json(w, plan, sources);
    out += '\n';
    return out;
}

std::optional<Plan> from_json(std::string_view text, SourceSet& sources, std::string& error) {
    json document;
    try {
        document = parse_json(text);
    } catch (const std::exception& e) {
        error = fmt::format("invalid plan: {}", e.what());
        return std::nullopt;
    }
    return from_document(document, sources, error);
}

std::optional<Plan> from_document(const nlohmann::json& j, SourceSet& sources, std::string& error) {
    try {
        const std::string format = text_field(j, "format");
        if (format != kFormat) {
            error = fmt::format("not a podnetc plan of format {} (found '{}')", kFormat, format);
            return std::nullopt;
        }
        const json& ops = field(j, "ops");
        const json& conflicts = problems_field(j, "conflicts", true);
        const json& warnings = problems_field(j, "warnings", false);
        if (!ops.is_array()) throw std::runtime_error("'ops' must be an array");
        SourceReader reader(sources);
        for (const json& o : ops) reader.note(field(o, "source"));
        for (const json* list : {&conflicts, &warnings}) {
            for (const json& c : *list) reader.note(field(c, "source"));
        }
        reader.load();
        Plan plan;
        plan.node = text_field(j, "node");
        plan.state_fingerprint = text_field(j, "state_fingerprint");
        for (std::size_t i = 0; i < ops.size(); ++i) {
            try {
                const json& o = ops[i];
                Op op;
                op.step = step_from_json(field(o, "step"));
                op.reason = reason_from(text_field(o, "reason"));
                op.detail = text_field(o, "detail");
                op.pod = text_field(o, "pod");
                op.source = reader.range(field(o, "source"));
                op.inverse = steps_from_json(field(o, "inverse"));
                plan.ops.push_back(std::move(op));
            } catch (const std::exception& e) {
                throw std::runtime_error(fmt::format("ops[{}]: {}", i, e.what()));
            }
        }
        plan.conflicts = problems_from_json(conflicts, reader);
        plan.warnings = problems_from_json(warnings, reader);
        return plan;
    } catch (const std::exception& e) {
        error = fmt::format("invalid plan: {}", e.what());
        return std::nullopt;
    }
}

}  // namespace podnetc::plan
