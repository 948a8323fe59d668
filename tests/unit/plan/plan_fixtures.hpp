// Builders for planner tests: an IR per docs/LANGUAGE.md "What each mode builds"
// (with a generated .pnet text, so that every object has a real source range), and
// the live state the kernel shows for a node built from an IR, kernel-made objects
// included (lo, prefix and local routes, carrier flags, operstate, a foreign uplink).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"
#include "compiler/base/source.hpp"

namespace podnetc::test {

ip::Address ipv4(std::string_view text);
ip::Prefix prefix(std::string_view text);
Mac mac(std::string_view text);

struct PodSpec {
    std::string name;
    std::string network;
    std::string address;    // "10.10.1.10" or "10.10.1.10/32"
    std::string host_veth;  // bridge/route
    bool adopt = false;
    std::uint32_t mtu = 0;
};

class IrBuilder {
public:
    IrBuilder& node(std::string name);
    IrBuilder& bridge_network(std::string name, std::string subnet, std::string gateway = "", bool adopt = false);
    IrBuilder& route_network(std::string name, std::string subnet);
    IrBuilder& mesh_network(std::string name, std::string subnet);
    IrBuilder& pod(PodSpec pod);
    IrBuilder& pod(std::string name, std::string network, std::string address, std::string host_veth = "");

    // Expands the model into kernel objects; adds the generated file (one
    // declaration per line) to `sources` under `path`, for the ranges.
    ir::NodeIr build(SourceSet& sources, std::string path = "test.pnet") const;
    std::string text() const;

private:
    struct Net {
        std::string name;
        ir::Mode mode = ir::Mode::bridge;
        std::string subnet;
        std::string gateway;
        bool adopt = false;
        std::size_t line = 0;
    };
    struct Pod {
        PodSpec spec;
        std::size_t line = 0;
    };
    std::string node_;
    std::vector<Net> nets_;
    std::vector<Pod> pods_;
    std::vector<std::string> lines_;
};

// The route example: network pods 10.10.1.0/24 with pod-1 (10.10.1.10, veth1) and
// pod-2 (10.10.1.11, veth2).
struct RoutedPair {
    SourceSet sources;
    ir::NodeIr ir = IrBuilder()
                        .route_network("pods", "10.10.1.0/24")
                        .pod("pod-1", "pods", "10.10.1.10", "veth1")
                        .pod("pod-2", "pods", "10.10.1.11", "veth2")
                        .build(sources);
};

struct LiveOptions {
    bool with_record = true;     // last_applied = applied_record(ir)
    bool host_uplink = true;     // a foreign eth0 with an address, prefix and default route
    // A pod namespace's lo: up with 127.0.0.1/8, as podnetc's create_netns leaves it;
    // false: down without an address, as `ip netns add` leaves it.
    bool pod_lo_up = true;
};

// What the kernel shows after a correct apply of `ir` (MACs the kernel chose are
// deterministic here, as are ifindexes).
live::State converged(const ir::NodeIr& ir, LiveOptions options = {});
// A node with nothing of podnetc's: the host namespace with lo and its uplink.
live::State bare_node(bool host_uplink = true);

// A namespace's lo as someone left it: up or down, with exactly these addresses
// (made by loopback_address: on lo, permanent).
void set_loopback(live::State& state, const std::string& netns, bool up, const std::vector<live::Address>& addresses);
live::Address loopback_address(const std::string& netns, std::string_view local, std::uint8_t scope,
                               std::uint8_t protocol);

// Finders for assertions.
const live::Link* find_link(const live::State& s, std::string_view netns, std::string_view name);
live::Link* find_link(live::State& s, std::string_view netns, std::string_view name);

// The ops of a plan as "kind netns object-ish" lines, for readable assertions.
std::vector<std::string> step_lines(const plan::Plan& plan);
std::string step_line(const plan::Step& step);
// Every op as "step [reason] detail", then the conflicts with their notes: what a
// failed planner test shows (INFO).
std::string plan_listing(const plan::Plan& plan);

}  // namespace podnetc::test
