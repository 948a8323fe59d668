// The planner's model of the kernel: a live state that plan steps can be applied
// to, with the side effects the kernel has on its own (KERNEL-FACTS #7):
//  - deleting a link deletes both ends of a veth, their addresses, the routes
//    through them and their neighbours; a deleted bridge releases its ports;
//  - taking a link down deletes the routes through it and its ARP entries (also
//    permanent ones); bringing it up adds the prefix routes of its addresses;
//  - changing a link's MAC flushes its ARP entries (also permanent ones);
//  - deleting a primary address deletes its secondaries (promote_secondaries off)
//    and the routes using it as prefsrc; deleting a device's last address deletes
//    every route through the device and its ARP entries;
//  - adding a primary address to an up device adds its prefix route; bringing
//    `lo` up gives it 127.0.0.1/8, which stays when it goes down;
//  - create_netns makes a namespace whose `lo` is up, unless the step says
//    otherwise (podnetc's step brings it up, runtime/apply/kernel_transport.cpp);
//    deleting a namespace deletes everything in it, including the far ends of
//    veths that leave it.
// The planner uses the model to predict the state between steps, and to compute
// every step's inverse from what the step changed. It never refuses a step.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/model/journaled_map.hpp"
#include "compiler/live/kernel_made.hpp"
#include "compiler/live/live_state.hpp"
#include "compiler/objects/object_keys.hpp"
#include "compiler/steps/plan.hpp"

namespace podnetc::plan {

struct Changes {
    std::vector<Change<live::Netns>> namespaces;
    std::vector<Change<live::Link>> links;
    std::vector<Change<live::Address>> addresses;
    std::vector<Change<live::Route>> routes;
    std::vector<Change<live::Neighbor>> neighbors;

    bool empty() const {
        return namespaces.empty() && links.empty() && addresses.empty() && routes.empty() &&
               neighbors.empty();
    }
};

// What podnetc never diffs, creates or deletes, nor counts as foreign: what the
// kernel makes by itself (live::kernel_made), and also every address of `lo`
// (`lo` is the kernel's, whoever gave it an address) and everything in the local
// table. The one exception is an inverse that re-creates a namespace: its `lo` gets
// back its up state and MTU, and exactly the addresses it had.
bool left_to_kernel(const live::Link& link);
bool left_to_kernel(const live::Address& address);
bool left_to_kernel(const live::Route& route);
bool on_loopback(const live::Address& address);
// Changes without the objects above, except what an inverse restores: a `lo` that
// existed before, and an address of `lo` that was added or removed.
Changes without_kernel_made(const Changes& changes);

// Equality of what a dump shows and a step can restore: ifindex, operstate, alias,
// carrier flags, IFA/route flags other than secondary/onlink are not compared.
bool same(const live::Netns& a, const live::Netns& b);
bool same(const live::Link& a, const live::Link& b);
bool same(const live::Address& a, const live::Address& b);
bool same(const live::Route& a, const live::Route& b);
bool same(const live::Neighbor& a, const live::Neighbor& b);

struct RouteDevIndex {
    std::map<std::pair<std::string, std::string>, std::set<RouteKey>> by_dev;
    void added(const RouteKey& key, const live::Route& route);
    void removed(const RouteKey& key, const live::Route& route);
};

class KernelModel {
public:
    explicit KernelModel(const live::State& state);

    void apply(const Step& step);

    struct Mark {
        std::size_t namespaces = 0, links = 0, addresses = 0, routes = 0, neighbors = 0;
    };
    Mark mark() const;
    void rollback(const Mark& mark);
    void commit();  // forget the journal (marks taken before become invalid)
    Changes changes_since(const Mark& mark) const;

    const live::Netns* netns(std::string_view name) const;
    const live::Link* link(std::string_view netns, std::string_view name) const;
    const live::Link* peer_of(const live::Link& link) const;  // veth only; nullptr if unknown
    const live::Address* address(const AddressKey& key) const;
    const live::Route* route(const RouteKey& key) const;
    const live::Neighbor* neighbor(const NeighborKey& key) const;

    std::vector<std::string> namespace_names() const;  // sorted, host ("") first
    std::vector<const live::Link*> links_in(std::string_view netns) const;
    std::vector<const live::Link*> ports_of(std::string_view netns, std::string_view bridge) const;
    std::vector<const live::Address*> addresses_in(std::string_view netns) const;
    std::vector<const live::Address*> addresses_on(std::string_view netns, std::string_view dev) const;
    std::vector<const live::Route*> routes_in(std::string_view netns) const;
    std::vector<const live::Route*> routes_via(std::string_view netns, std::string_view dev) const;
    std::vector<const live::Neighbor*> neighbors_in(std::string_view netns) const;
    std::vector<const live::Neighbor*> neighbors_on(std::string_view netns, std::string_view dev) const;

    // podnetc's ownership (ownership.hpp), with one refinement: a veth pair is one
    // object, owned when either end carries the marker.
    bool owned(const live::Link& link) const;

    live::State state() const;

private:
    void create_netns(const NetnsSpec& spec);
    void delete_netns(const std::string& name);
    void create_link(const LinkCreate& spec);
    void change_link(const LinkChange& spec);
    void delete_link(const std::string& netns, const std::string& name);
    void remove_device(const live::Link& link);
    void add_address(const kernel::Address& spec);
    void delete_address(const AddressKey& key);
    void forget_prefsrc(const std::string& netns, ip::Address local);
    void flush_device(const std::string& netns, const std::string& dev);
    void flush_neighbors(const std::string& netns, const std::string& dev);
    void add_prefix_route(const live::Address& address);
    void add_loopback_address(const live::Link& lo);

    JournaledMap<std::string, live::Netns> namespaces_;
    JournaledMap<LinkKey, live::Link> links_;
    JournaledMap<AddressKey, live::Address> addresses_;
    JournaledMap<RouteKey, live::Route, RouteDevIndex> routes_;
    JournaledMap<NeighborKey, live::Neighbor> neighbors_;
    std::optional<bool> ip_forward_;
};

}  // namespace podnetc::plan
