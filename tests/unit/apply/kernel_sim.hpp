// A tiny in-memory kernel for planner tests: applies plan Steps to a live::State
// the way Linux does (side effects included) and refuses what Linux refuses
// (EEXIST, ENODEV, ENETDOWN, ...). Its side effects are its own code, not the
// planner's model (compiler/model/kernel_model.cpp), so that a plan and its inverses
// are checked against a second implementation of the kernel facts, not against
// themselves; only the step types and the step -> live object conversion
// (compiler/steps/plan_specs.hpp) are shared.
#pragma once

#include <string>
#include <vector>

#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"

namespace podnetc::test {

class KernelSim {
public:
    explicit KernelSim(live::State state);

    // "" on success, else an errno name; a refused step changes nothing.
    std::string apply(const plan::Step& step);
    // Applies the steps in order; returns "" or "step N (kind): ERR" for the first failure.
    std::string apply_all(const std::vector<plan::Step>& steps);
    const live::State& state() const { return s_; }

private:
    std::string create_netns(const plan::NetnsSpec& spec);
    std::string delete_netns(const std::string& name);
    std::string create_link(const plan::LinkCreate& spec);
    std::string change_link(const plan::LinkChange& spec);
    std::string delete_link(const plan::LinkDelete& spec);
    std::string add_address(const kernel::Address& spec, bool replace);
    std::string delete_address(const kernel::Address& spec);
    std::string add_route(const kernel::Route& spec, bool replace);
    std::string delete_route(const kernel::Route& spec);
    std::string add_neighbor(const kernel::Neighbor& spec, bool replace);
    std::string delete_neighbor(const kernel::Neighbor& spec);

    live::Link* find_link(const std::string& netns, const std::string& name);
    bool has_netns(const std::string& name) const;
    void unregister_device(const std::string& netns, const std::string& name);
    void remove_address_at(std::size_t index);
    void drop_routes_via(const std::string& netns, const std::string& dev);
    void drop_neighbors_on(const std::string& netns, const std::string& dev);
    void add_kernel_routes(const live::Address& address);
    void device_up(const live::Link& link);

    live::State s_;
    int next_ifindex_ = 1000;
    int next_mac_ = 1;
};

// The state without what a dump does not guarantee to reproduce: ifindexes,
// operstate, carrier flags, aliases, local-table routes; sorted. Two states that
// normalize equal are the same node as far as podnetc can tell.
live::State normalized(live::State state);
// A readable line-per-object dump of a normalized state, for test failure output.
std::string dump(const live::State& state);

}  // namespace podnetc::test
