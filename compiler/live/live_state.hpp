// LiveState: what the kernel has, as a plain value. runtime/ fills it from
// rtnetlink dumps; `show --json` writes it and `plan --state-from` reads it back, so
// planning is testable without root. Everything is named, not numbered: ifindexes
// are kept only so the applier can address objects, and never drive a decision.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/objects/objects.hpp"

namespace podnetc::live {

// The kernel's object types (compiler/objects/objects.hpp) as a dump reports them,
// with what only the kernel knows.

// A namespace podnetc can see: the host ("") and every named one under /run/netns.
struct Netns : kernel::Netns {
    bool owned = false;  // listed in podnetc's namespace registry
    // Why the namespace's contents could not be read (e.g. a stale /run/netns file
    // whose mount is gone); "" when they were. Such a namespace contributes no objects.
    std::string unreadable;
    friend bool operator==(const Netns&, const Netns&) = default;
};

struct Link : kernel::Link {
    std::int32_t ifindex = 0;
    friend bool operator==(const Link&, const Link&) = default;
};

struct Address : kernel::Address {
    std::int32_t ifindex = 0;  // of its device
    friend bool operator==(const Address&, const Address&) = default;
};

using BridgePort = kernel::BridgePort;
using Nexthop = kernel::Nexthop;
using Route = kernel::Route;
using Neighbor = kernel::Neighbor;  // permanent entries only

struct State {
    std::vector<Netns> namespaces;  // always contains the host namespace ""
    std::vector<Link> links;
    std::vector<Address> addresses;  // IPv4 only, as read today
    std::vector<Route> routes;       // IPv4 only, as read today
    std::vector<Neighbor> neighbors; // IPv4 only, as read today; permanent entries
    std::optional<bool> ip_forward;  // net.ipv4.ip_forward of the host namespace
    // What the last successful apply on this node declared, read from the state
    // directory: object key -> canonical text of the declared object (planner.hpp).
    // It tells drift (the kernel moved away from it) from changes in the file (the
    // file moved away from it). nullopt: no record (never applied, or state lost).
    std::optional<std::map<std::string, std::string>> last_applied;
    friend bool operator==(const State&, const State&) = default;
};

}  // namespace podnetc::live

namespace podnetc {
// Beside the markers of the other kinds (compiler/objects/ownership.hpp).
inline bool is_owned(const live::Netns& netns) { return netns.owned; }
}  // namespace podnetc
