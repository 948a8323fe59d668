// A plan: the ordered kernel operations that take the live state to the desired
// one, each with why it is needed, which declaration asked for it and how to undo
// it. Computed by a pure function (planner.hpp) from the IR and a LiveState, so it
// is testable without root; the applier (runtime/) encodes each Step to rtnetlink.
//
// Granularity: one Step is one kernel request (one netlink message, or one
// namespace operation), so that the applier maps steps 1:1 to acknowledgements and
// a failure points at exactly one step, hence at one .pnet line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/net/net_types.hpp"
#include "compiler/objects/objects.hpp"
#include "compiler/base/source.hpp"

namespace podnetc::plan {

using namespace podnetc::kernel;  // the kernel's objects, keys and numbers

// ---- what a step operates on ------------------------------------------------
// Complete descriptions: a step never needs the live state to be executed, and an
// inverse step restores exactly what the live state had.

struct NetnsSpec {
    std::string name;
    // create_netns: bring its `lo` up, as a pod's is (127.0.0.1 answers). An inverse
    // that re-creates a namespace whose `lo` was down leaves it down.
    bool lo_up = true;
};

// One end of a link as podnetc creates it.
struct LinkEnd {
    std::string netns;
    std::string name;
    std::optional<Mac> mac;  // nullopt: kernel-chosen
    std::uint32_t mtu = 0;   // 0: kernel default
    std::uint32_t group = 0;
};

// Create a bridge, or a veth pair in one message (`end` is the primary end, in the
// namespace whose socket sends it; `peer` is placed directly in its namespace under
// its final name). `up` applies to `end` only: the kernel refuses IFF_UP on the peer
// (KERNEL-FACTS #1), so the peer is brought up by a separate set_link step.
struct LinkCreate {
    std::string kind{kernel::kVeth};  // kernel::kVeth or kernel::kBridge
    LinkEnd end;
    std::optional<LinkEnd> peer;  // veth only
    std::string master;           // bridge to enslave `end` to, or ""
    bool up = false;
};

// Changes to an existing link; only the set fields change. One RTM_SETLINK (the
// IPv4 devconf goes in the same message as IFLA_AF_SPEC).
struct LinkChange {
    std::string netns;
    std::string name;
    std::optional<bool> up;
    std::optional<std::uint32_t> mtu;
    std::optional<Mac> mac;
    std::optional<std::string> master;  // "" detaches from the bridge
    std::optional<std::uint32_t> group;
    std::optional<bool> proxy_arp;
    std::optional<bool> forwarding;
};

// Delete a link (for a veth, both ends go). With `group` set, delete every link of
// that group in the namespace in one message (name is then "").
struct LinkDelete {
    std::string netns;
    std::string name;
    std::optional<std::uint32_t> group;
};

// ARP neighbour-table parameters of one device (RTM_SETNEIGHTBL).
struct NeighParms {
    std::string netns;
    std::string dev;
    std::uint32_t proxy_delay_ms = 0;
};

enum class StepKind {
    create_netns,      // NetnsSpec: create the namespace and add it to the registry
    delete_netns,      // NetnsSpec: remove from the registry and delete the namespace
    register_netns,    // NetnsSpec: adopt an existing namespace (registry only)
    unregister_netns,  // NetnsSpec: undo register_netns
    create_link,       // LinkCreate
    change_link,       // LinkChange
    delete_link,       // LinkDelete
    set_neigh_parms,   // NeighParms
    add_address,       // kernel::Address (NLM_F_CREATE | NLM_F_EXCL)
    replace_address,   // kernel::Address (NLM_F_REPLACE: same address, new protocol)
    delete_address,    // kernel::Address
    add_route,         // kernel::Route (NLM_F_CREATE | NLM_F_EXCL)
    replace_route,     // kernel::Route (NLM_F_CREATE | NLM_F_REPLACE)
    delete_route,      // kernel::Route
    add_neighbor,      // kernel::Neighbor
    replace_neighbor,  // kernel::Neighbor
    delete_neighbor,   // kernel::Neighbor
};
std::string_view step_kind_name(StepKind kind);
// delete_link, delete_address, delete_route, delete_neighbor: a netlink deletion.
bool is_kernel_deletion(StepKind kind);

// A step of one kind carrying the one object type that kind operates on, so that
// a route step cannot hold an address: the kind is the type, never a separate field.
template <StepKind K, class Object>
struct Typed {
    static constexpr StepKind kind = K;
    using object_type = Object;
    Object object;
};

using CreateNetns = Typed<StepKind::create_netns, NetnsSpec>;
using DeleteNetns = Typed<StepKind::delete_netns, NetnsSpec>;
using RegisterNetns = Typed<StepKind::register_netns, NetnsSpec>;
using UnregisterNetns = Typed<StepKind::unregister_netns, NetnsSpec>;
using CreateLink = Typed<StepKind::create_link, LinkCreate>;
using ChangeLink = Typed<StepKind::change_link, LinkChange>;
using DeleteLink = Typed<StepKind::delete_link, LinkDelete>;
using SetNeighParms = Typed<StepKind::set_neigh_parms, NeighParms>;
using AddAddress = Typed<StepKind::add_address, kernel::Address>;
using ReplaceAddress = Typed<StepKind::replace_address, kernel::Address>;
using DeleteAddress = Typed<StepKind::delete_address, kernel::Address>;
using AddRoute = Typed<StepKind::add_route, kernel::Route>;
using ReplaceRoute = Typed<StepKind::replace_route, kernel::Route>;
using DeleteRoute = Typed<StepKind::delete_route, kernel::Route>;
using AddNeighbor = Typed<StepKind::add_neighbor, kernel::Neighbor>;
using ReplaceNeighbor = Typed<StepKind::replace_neighbor, kernel::Neighbor>;
using DeleteNeighbor = Typed<StepKind::delete_neighbor, kernel::Neighbor>;

// In StepKind order: an alternative's index is its kind (checked in plan_names.cpp).
using TypedStep = std::variant<CreateNetns, DeleteNetns, RegisterNetns, UnregisterNetns, CreateLink, ChangeLink,
                               DeleteLink, SetNeighParms, AddAddress, ReplaceAddress, DeleteAddress, AddRoute,
                               ReplaceRoute, DeleteRoute, AddNeighbor, ReplaceNeighbor, DeleteNeighbor>;

template <class T, class Variant>
inline constexpr bool is_alternative_of = false;
template <class T, class... Ts>
inline constexpr bool is_alternative_of<T, std::variant<Ts...>> = (std::is_same_v<T, Ts> || ...);

// One kernel request, built from its typed form: Step{AddRoute{route}}.
class Step {
public:
    Step() = default;
    template <class T>
        requires is_alternative_of<T, TypedStep>
    Step(T typed) : typed_(std::move(typed)) {}  // NOLINT(google-explicit-constructor): lossless

    StepKind kind() const { return static_cast<StepKind>(typed_.index()); }
    // The namespace whose socket sends it: the object's namespace (for a namespace
    // step, the namespace itself; for create_link, that of the primary end).
    const std::string& netns() const;
    const TypedStep& typed() const { return typed_; }

private:
    TypedStep typed_;
};

// The step's object when its kind carries an Object ("the route of any route step").
template <class Object>
const Object* object_if(const Step& step) {
    return std::visit(
        [](const auto& t) -> const Object* {
            if constexpr (std::is_same_v<typename std::decay_t<decltype(t)>::object_type, Object>) {
                return &t.object;
            } else {
                return nullptr;
            }
        },
        step.typed());
}

// The object of a step whose kind is known to carry an Object (inside a switch on
// step.kind()); throws std::bad_variant_access when it does not.
template <class Object>
const Object& object_of(const Step& step) {
    const Object* object = object_if<Object>(step);
    if (object == nullptr) throw std::bad_variant_access();
    return *object;
}

// Calls `f` with the step's object, whatever its kind.
template <class F>
decltype(auto) visit_object(F&& f, const Step& step) {
    return std::visit([&](const auto& t) -> decltype(auto) { return f(t.object); }, step.typed());
}

// ---- operations -------------------------------------------------------------

enum class Reason {
    missing,     // declared, not in the kernel
    differs,     // declared and present, but an attribute differs from the file
    undeclared,  // owned by podnetc, no longer declared: removed
    drift,       // owned and declared, changed by someone else since the last apply
    adopt,       // declared with `adopt` and present as declared: take ownership
};
std::string_view reason_name(Reason reason);

struct Op {
    Step step;
    // Undo, in execution order, computed from the live state the plan was made
    // against. It restores everything the step destroys as a side effect too
    // (deleting a link deletes its addresses and routes; taking a link down deletes
    // routes through it; deleting a namespace deletes everything inside).
    std::vector<Step> inverse;
    Reason reason = Reason::missing;
    std::string detail;  // what differs, e.g. "mtu 1500 -> 1450", "proxy_arp off -> on"
    std::string pod;     // for grouping output; "" for node-level objects
    SourceRange source;  // the declaration that asked for it; unknown for undeclared objects
};

// Planning stops at a problem the file must solve: a foreign object in the way, a
// namespace to delete that holds foreign objects… Reported like compiler errors.
struct Conflict {
    SourceRange source;
    std::string message;
    std::vector<std::string> notes;
};

struct Plan {
    std::string node;
    std::vector<Op> ops;  // in execution order
    std::vector<Conflict> conflicts;
    // Problems that do not stop the plan but will likely stop traffic (the cluster
    // backend's next hop not on-link, forwarding off): a Conflict's shape, reported
    // like compiler warnings.
    std::vector<Conflict> warnings;
    // Identifies the live state the plan was computed against (apply --plan refuses a
    // saved plan when the state changed since).
    std::string state_fingerprint;

    bool empty() const { return ops.empty(); }
};

}  // namespace podnetc::plan
