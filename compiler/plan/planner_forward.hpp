// make_plan's machinery (planner.hpp): classification of every declared object
// against the live state (planner_classify.cpp), then the plan in phases
// (planner.cpp). See docs/PLANNER.md for the rules.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/model/kernel_model.hpp"
#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"
#include "compiler/plan/plan_writer.hpp"
#include "compiler/plan/planner_index.hpp"

namespace podnetc::plan {

class ForwardPlanner {
public:
    ForwardPlanner(const ir::NodeIr& desired, const live::State& live);
    Plan run();

private:
    // How a declared object stood in the live state before the plan.
    enum class Found { absent, differs, matches };

    // ---- classification (planner_classify.cpp) ----
    void classify();
    void classify_namespaces();
    void classify_links();
    void classify_addresses();
    void classify_routes();
    void classify_neighbors();
    void add_conflict(SourceRange source, std::string message, std::vector<std::string> notes);
    // ---- the cluster backend's underlay (planner_underlay.cpp) ----
    void classify_underlay();
    void add_warning(SourceRange source, std::string message, std::vector<std::string> notes);
    std::string adopt_hint(const std::string& pod, const std::string& network) const;
    bool blocked_netns(const std::string& netns) const { return blocked_netns_.count(netns) != 0; }
    bool blocked_dev(const std::string& netns, const std::string& dev) const;
    Found found(const ir::Link& link) const;
    Found found(const ir::Route& route) const;
    Found found(const ir::Neighbor& neighbor) const;
    bool recorded(const std::string& key) const;  // the applied record lists this key
    // An object at a key the applied record lists, unmarked now: podnetc's own,
    // rewritten by hand (`ip route replace`, `ip addr replace`, `ip link set group`).
    bool rewritten_by_hand(const std::string& key, std::uint8_t protocol, bool same_values) const;
    bool reclaimed(const std::string& key) const { return reclaim_.count(key) != 0; }

    // ---- phases (planner.cpp) ----
    struct Damage {
        std::string key;                  // the deletion that did damage
        std::vector<Removed> removed;     // the declared objects it removed
    };
    std::vector<Damage> build(PlanWriter& w);
    void delete_first(PlanWriter& w);
    void create_namespaces(PlanWriter& w);
    void create_links(PlanWriter& w);
    void configure_links(PlanWriter& w, const std::string& netns);
    void configure_addresses(PlanWriter& w, const std::string& netns);
    void configure_routes(PlanWriter& w, const std::string& netns);
    void configure_neighbors(PlanWriter& w, const std::string& netns);
    std::vector<Damage> delete_undeclared(PlanWriter& w, bool early_only);

    Reason reason_for(const std::string& key, const std::string& canonical_text, Found initial) const;
    std::string detail_for(const PlanWriter& w, const std::string& key, Found initial, Reason reason,
                           std::string differences) const;

    const ir::NodeIr& ir_;
    const live::State& live_;
    DesiredIndex want_;
    KernelModel initial_;
    std::vector<std::string> order_;
    std::set<std::string> doomed_netns_;       // owned, no longer declared
    std::set<std::string> blocked_netns_;      // in conflict: nothing is planned inside
    std::set<LinkKey> blocked_links_;
    std::set<std::string> adopt_;              // record keys of foreign objects the file adopts
    std::set<std::string> reclaim_;            // record keys of owned objects that lost the marker
    std::map<LinkKey, std::string> recreate_;  // owned links whose kind or peer differ
    std::map<std::string, std::string> early_; // undeclared objects deleted first -> why
    std::set<LinkKey> created_;                // links created by the plan being built
    std::vector<Conflict> conflicts_;
    std::vector<Conflict> warnings_;
    std::set<std::string> conflict_messages_;
};

}  // namespace podnetc::plan
