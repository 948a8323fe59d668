#include "compiler/to_pnet/adoption_notes.hpp"

#include <optional>
#include <set>

#include <fmt/format.h>

#include "compiler/base/diagnostics.hpp"
#include "compiler/base/source.hpp"
#include "compiler/live/kernel_made.hpp"
#include "compiler/live/live_state_text.hpp"
#include "compiler/objects/ownership.hpp"
#include "compiler/lower/lower.hpp"
#include "compiler/plan/planner.hpp"
#include "compiler/objects/object_keys.hpp"
#include "compiler/steps/plan_specs.hpp"
#include "compiler/syntax/frontend.hpp"
#include "compiler/to_pnet/plan_notes.hpp"

namespace podnetc::live {
namespace {

// The file's name in diagnostics; it has none, it goes to standard output.
constexpr std::string_view kFileName = "show --as pnet";

std::vector<std::string> lowering_notes(const Diagnostics& diagnostics, bool lowered) {
    std::vector<std::string> notes;
    for (const Diagnostic& d : diagnostics.all()) {
        notes.push_back(fmt::format("check: {}: {}", d.severity == Severity::error ? "error" : "warning", d.message));
    }
    if (!lowered) notes.push_back("check: the file does not lower, so no plan was made against this node");
    return notes;
}

// Live objects the lowered file does not declare, in its pods' namespaces and on
// its host devices. Owned ones are left to the plan, which deletes them.
class Leftovers {
public:
    Leftovers(const ir::NodeIr& ir, const State& state) : state_(state) {
        for (const auto& n : ir.namespaces) pods_.insert(n.name);
        for (const auto& l : ir.links) links_.insert(kernel::key_of(l));
        for (const auto& a : ir.addresses) addresses_.insert(kernel::key_of(a));
        for (const auto& r : ir.routes) routes_.insert(kernel::key_of(r));
        for (const auto& n : ir.neighbors) neighbors_.insert(kernel::key_of(n));
    }

    std::vector<std::string> notes() {
        for (const Link& l : state_.links) {
            if (!l.netns.empty() && pods_.count(l.netns) && l.name != "lo" && !links_.count(kernel::key_of(l))) {
                foreign(l, "link " + l.name);
            }
        }
        for (const Address& a : state_.addresses) {
            if (!kernel_made(a) && relevant(a.netns, a.dev) && !addresses_.count(kernel::key_of(a))) {
                foreign(a, object_text(plan::request(a)));
            }
        }
        for (const Route& r : state_.routes) {
            if (!kernel_made(r) && relevant(r.netns, r.dev) && !routes_.count(kernel::key_of(r))) {
                foreign(r, object_text(plan::request(r)));
            }
        }
        for (const Neighbor& n : state_.neighbors) {
            if (relevant(n.netns, n.dev) && !neighbors_.count(kernel::key_of(n))) {
                foreign(n, object_text(plan::request(n)));
            }
        }
        return std::move(notes_);
    }

private:
    bool relevant(const std::string& netns, const std::string& dev) const {
        return netns.empty() ? links_.count(kernel::LinkKey{"", dev}) != 0 : pods_.count(netns) != 0;
    }

    template <class Object>
    void foreign(const Object& object, const std::string& what) {
        if (is_owned(object)) return;
        notes_.push_back(fmt::format("{}: {} is not in the file; it stays as it is (foreign)", netns_label(object.netns), what));
    }

    const State& state_;
    std::set<std::string> pods_;
    std::set<kernel::LinkKey> links_;
    std::set<kernel::AddressKey> addresses_;
    std::set<kernel::RouteKey> routes_;
    std::set<kernel::NeighborKey> neighbors_;
    std::vector<std::string> notes_;
};

}  // namespace

std::vector<std::string> adoption_notes(const std::string& pnet, const State& state) {
    SourceSet sources;
    const FileId file = sources.add(std::string(kFileName), pnet);
    Diagnostics diagnostics;
    const ast::File ast = parse_pnet(sources, file, diagnostics);
    const std::optional<ir::NodeIr> ir = lower(ast, LowerOptions{}, diagnostics);
    std::vector<std::string> notes = lowering_notes(diagnostics, ir.has_value());
    if (!ir) return notes;
    for (auto& note : Leftovers(*ir, state).notes()) notes.push_back(std::move(note));
    for (auto& note : plan_notes(plan::make_plan(*ir, state), state)) notes.push_back(std::move(note));
    return notes;
}

}  // namespace podnetc::live
