#include "compiler/lower/lower_report.hpp"

#include <functional>

#include <fmt/format.h>

namespace podnetc::lowering {

ContextId Contexts::add(std::vector<Binding> bindings) {
    list_.push_back(std::move(bindings));
    return static_cast<ContextId>(list_.size() - 1);
}

std::string Contexts::describe(ContextId id) const {
    std::string text;
    for (const Binding& binding : list_[id]) {
        if (!text.empty()) text += ", ";
        fmt::format_to(std::back_inserter(text), "{} = {}", binding.variable, binding.value);
    }
    return text;
}

std::string Contexts::suffix(ContextId id) const {
    if (id == 0) return {};
    return fmt::format(" ({})", describe(id));
}

std::size_t Reporter::KeyHash::operator()(const Key& key) const {
    std::size_t hash = std::hash<std::string_view>{}(key.kind);
    for (const std::uint32_t part : {key.range.file, key.range.offset, key.range.length}) {
        hash = hash * 0x9e3779b97f4a7c15ULL + part;
    }
    return hash;
}

Diagnostic* Reporter::error(SourceRange range, std::string_view kind, ContextId context,
                            std::string message) {
    return report(Severity::error, range, kind, context, std::move(message), false);
}

Diagnostic* Reporter::warning(SourceRange range, std::string_view kind, ContextId context,
                              std::string message) {
    return report(Severity::warning, range, kind, context, std::move(message), false);
}

Diagnostic* Reporter::fixed_error(SourceRange range, std::string_view kind, std::string message) {
    return report(Severity::error, range, kind, 0, std::move(message), true);
}

// Problems that say something is missing or unused: after a syntax error the
// statement that would have provided it may be the one left out.
bool Reporter::concludes_from_absence(std::string_view kind) {
    return kind == "network-unused" || kind == "pod-no-interfaces" || kind == "network-no-mode" ||
           kind == "network-no-subnet";
}

Diagnostic* Reporter::report(Severity severity, SourceRange range, std::string_view kind,
                             ContextId context, std::string message, bool fixed) {
    if (parts_left_out_ && concludes_from_absence(kind)) return nullptr;
    const auto [it, inserted] = index_.try_emplace(Key{range, kind}, pending_.size());
    if (!inserted) {
        ++pending_[it->second].repeats;
        return nullptr;
    }
    if (severity == Severity::error) ++errors_;
    Pending& pending = pending_.emplace_back();
    pending.diagnostic = Diagnostic{severity, range, std::move(message), {}};
    pending.context = context;
    pending.fixed = fixed;
    return &pending.diagnostic;
}

void Reporter::flush(Diagnostics& out) {
    for (Pending& pending : pending_) {
        Diagnostic& d = pending.diagnostic;
        Diagnostic& added = d.severity == Severity::error ? out.error(d.range, std::move(d.message))
                                                          : out.warning(d.range, std::move(d.message));
        added.notes = std::move(d.notes);
        if (pending.fixed) continue;
        if (pending.context != 0) {
            added.notes.push_back(
                {SourceRange{}, fmt::format("in expansion with {}", contexts_.describe(pending.context))});
        }
        if (pending.context != 0 && pending.repeats != 0) {
            added.notes.push_back({SourceRange{}, fmt::format("and {} more expansion{}", group_thousands(pending.repeats),
                                                               pending.repeats == 1 ? "" : "s")});
        }
    }
    pending_.clear();
    index_.clear();
    errors_ = 0;
}

}  // namespace podnetc::lowering
