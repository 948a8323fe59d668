// The human plan (plan_output.hpp): a header, the operations grouped by pod in
// execution order, drift in its own section, conflicts rendered like compiler
// errors, and a summary line.
#include <algorithm>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "compiler/base/diagnostics.hpp"
#include "compiler/base/text_format.hpp"
#include "compiler/objects/object_keys.hpp"
#include "compiler/steps/plan_describe.hpp"
#include "compiler/plan_io/plan_output.hpp"
#include "compiler/steps/plan_summary.hpp"
#include "compiler/base/terminal_style.hpp"

namespace podnetc::plan {
namespace {

// Locations line up in this column unless an operation is longer.
constexpr std::size_t kMaxAlign = 78;

std::string_view color_of(Effect effect) {
    switch (effect) {
        case Effect::create: return style::green;
        case Effect::change: return style::yellow;
        case Effect::remove: return style::red;
        case Effect::adopt: return style::cyan;
    }
    return style::yellow;
}

std::string with_detail_in_parens(std::string body, const std::string& detail) {
    return detail.empty() ? body : fmt::format("{} ({})", body, detail);
}

std::string with_detail_after_colon(std::string body, const std::string& detail) {
    return detail.empty() ? body : fmt::format("{}: {}", body, detail);
}

// The operation without its marker: "link veth1: proxy_arp off -> on".
std::string body(const Op& op) {
    const bool adopt = op.reason == Reason::adopt;
    const std::string prefix = adopt ? "adopt " : "";
    const Step& s = op.step;
    switch (s.kind()) {
        case StepKind::create_netns:
        case StepKind::delete_netns:
        case StepKind::register_netns:
        case StepKind::unregister_netns: {
            std::string verb = prefix;
            if (s.kind() == StepKind::register_netns && !adopt) verb = "register ";
            if (s.kind() == StepKind::unregister_netns) verb = "forget ";
            return with_detail_in_parens(verb + "netns " + plan::object_of<NetnsSpec>(s).name, op.detail);
        }
        case StepKind::create_link:
            return with_detail_in_parens("link " + describe(plan::object_of<LinkCreate>(s)), op.detail);
        case StepKind::change_link: {
            const auto& c = plan::object_of<LinkChange>(s);
            return with_detail_after_colon(prefix + "link " + qualified(c.netns, c.name), op.detail);
        }
        case StepKind::set_neigh_parms: {
            const auto& p = plan::object_of<NeighParms>(s);
            return with_detail_after_colon(prefix + "link " + qualified(p.netns, p.dev),
                                           op.detail.empty() ? fmt::format("proxy_delay {}", p.proxy_delay_ms) : op.detail);
        }
        case StepKind::delete_link: {
            const auto& d = plan::object_of<LinkDelete>(s);
            if (d.group) {
                return fmt::format("links of group {} in {}", *d.group,
                                   d.netns.empty() ? "the host namespace" : "namespace " + d.netns);
            }
            return with_detail_in_parens("link " + qualified(d.netns, d.name), op.detail);
        }
        case StepKind::add_address:
        case StepKind::delete_address:
            return with_detail_in_parens("address " + describe(plan::object_of<kernel::Address>(s)), op.detail);
        case StepKind::replace_address:
            return with_detail_after_colon(prefix + "address " + describe(plan::object_of<kernel::Address>(s)), op.detail);
        case StepKind::add_route:
        case StepKind::delete_route:
            return with_detail_in_parens("route " + describe(plan::object_of<kernel::Route>(s)), op.detail);
        case StepKind::replace_route:
            return with_detail_after_colon(prefix + "route " + describe(plan::object_of<kernel::Route>(s)), op.detail);
        case StepKind::add_neighbor:
        case StepKind::delete_neighbor:
            return with_detail_in_parens("neighbor " + describe(plan::object_of<kernel::Neighbor>(s)), op.detail);
        case StepKind::replace_neighbor:
            return with_detail_after_colon(prefix + "neighbor " + describe(plan::object_of<kernel::Neighbor>(s)), op.detail);
    }
    return "";
}

struct Line {
    std::string text;  // "+ netns pod-1"
    Effect effect = Effect::create;
    std::string location;
};

struct Group {
    std::string title;  // "node" or "pod pod-1"
    std::vector<Line> lines;
    // Sort key: node-level first, then pods where the file declares them, then
    // pods no longer declared; ties in order of first appearance.
    int rank = 0;
    std::pair<FileId, std::uint32_t> declared_at{0, 0};
    std::size_t first = 0;
};

std::vector<Group> grouped(const Plan& plan, const SourceSet& sources, bool drift, const TextOptions& options) {
    std::vector<Group> groups{Group{"node", {}, 0, {0, 0}, 0}};
    std::map<std::string, std::size_t> index{{"", 0}};
    for (const Op& op : plan.ops) {
        if ((op.reason == Reason::drift) != drift) continue;
        auto [it, added] = index.try_emplace(op.pod, groups.size());
        if (added) groups.push_back(Group{"pod " + op.pod, {}, 2, {0, 0}, groups.size()});
        Group& g = groups[it->second];
        if (g.rank == 2 && op.source.known()) {
            g.rank = 1;
            g.declared_at = {op.source.file, op.source.offset};
        } else if (g.rank == 1 && op.source.known()) {
            g.declared_at = std::min(g.declared_at, std::make_pair(op.source.file, op.source.offset));
        }
        const Effect effect = effect_of(op);
        g.lines.push_back(Line{fmt::format("{} {}", marker(effect), body(op)), effect,
                               options.show_sources ? sources.location(op.source) : ""});
    }
    std::erase_if(groups, [](const Group& g) { return g.lines.empty(); });
    std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
        return std::tie(a.rank, a.declared_at, a.first) < std::tie(b.rank, b.declared_at, b.first);
    });
    return groups;
}

std::size_t column(const std::vector<Group>& a, const std::vector<Group>& b) {
    std::size_t width = 0;
    for (const auto* groups : {&a, &b}) {
        for (const Group& g : *groups) {
            for (const Line& l : g.lines) {
                if (l.text.size() + 2 <= kMaxAlign) width = std::max(width, l.text.size() + 2);
            }
        }
    }
    return width;
}

void print_groups(std::string& out, const std::vector<Group>& groups, std::size_t width, const TextOptions& options) {
    for (const Group& g : groups) {
        out += style::paint(g.title, style::bold, options.color) + "\n";
        for (const Line& l : g.lines) {
            const std::string text = style::paint(l.text, color_of(l.effect), options.color);
            if (l.location.empty()) {
                out += fmt::format("  {}\n", text);
                continue;
            }
            const std::size_t pad = l.text.size() + 2 < width ? width - l.text.size() : 2;
            out += fmt::format("  {}{}{}\n", text, std::string(pad, ' '), l.location);
        }
    }
}

std::string summary(const Plan& plan, const SourceSet& sources) {
    const Counts c = count(plan);
    std::string out;
    if (plan.ops.empty() && plan.conflicts.empty()) {
        const std::string file = sources.size() != 0 ? sources.file(1).path() : "its topology";
        return fmt::format("No changes. The node matches {}.\n", file);
    }
    out = summary_line(c) + "\n";
    if (c.conflicts != 0) out += fmt::format("{}: this plan cannot be applied.\n", plural(c.conflicts, "conflict"));
    return out;
}

}  // namespace

Diagnostic conflict_diagnostic(const Conflict& conflict, Severity severity) {
    Diagnostic d;
    d.severity = severity;
    d.range = conflict.source;
    d.message = conflict.message;
    for (const std::string& note : conflict.notes) d.notes.push_back(DiagnosticNote{SourceRange{}, note});
    return d;
}

std::string to_text(const Plan& plan, const SourceSet& sources, TextOptions options) {
    std::string out = plan.node.empty() ? "podnetc plan\n" : fmt::format("podnetc plan: node {}\n", plan.node);
    const std::vector<Group> changes = grouped(plan, sources, false, options);
    const std::vector<Group> drift = grouped(plan, sources, true, options);
    const std::size_t width = column(changes, drift);
    if (!changes.empty()) {
        out += "\n";
        print_groups(out, changes, width, options);
    }
    if (!drift.empty()) {
        out += "\nDrift: objects changed outside podnetc since the last apply\n";
        print_groups(out, drift, width, options);
    }
    if (!plan.conflicts.empty()) {
        out += "\nConflicts: objects podnetc did not create are in the way\n";
        for (const Conflict& c : plan.conflicts) {
            out += render(sources, conflict_diagnostic(c), RenderOptions{options.color});
        }
    }
    if (!plan.warnings.empty()) {
        out += "\nWarnings: the plan applies, but traffic will not flow as declared\n";
        for (const Conflict& c : plan.warnings) {
            out += render(sources, conflict_diagnostic(c, Severity::warning), RenderOptions{options.color});
        }
    }
    out += "\n" + summary(plan, sources);
    return out;
}

}  // namespace podnetc::plan
