// Words for objects and steps, shared by the planner (details, conflict messages,
// the last-applied record) and the printers, so that the same object always reads
// the same way. Devices are written qualified ("pod-1/eth0"); nothing here prints
// an ifindex, and only MACs that a step sets (declared or restored) appear.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "compiler/ir/ir.hpp"
#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"

namespace podnetc::plan {

std::string on_off(bool value);
std::string on_off(const std::optional<bool>& value);  // "?" when unknown
std::string protocol_name(std::uint8_t protocol);
std::string scope_name(std::uint8_t scope);
std::string dst_text(const ip::Prefix& dst);  // "default" for 0.0.0.0/0

// "default via 169.254.1.1 dev pod-1/eth0 onlink"
std::string describe(const kernel::Route& route);
// "10.10.1.10/32 dev pod-1/eth0"
std::string describe(const kernel::Address& address);
// "169.254.1.1 lladdr ee:ee:ee:ee:ee:ee dev pod-1/eth0"
std::string describe(const kernel::Neighbor& neighbor);
// "veth1 veth peer pod-1/eth0 master cbr0 mac ee:ee:ee:ee:ee:ee up"
std::string describe(const LinkCreate& link);
// The settings a change makes, without old values: "up, proxy_arp on"
std::string describe_settings(const LinkChange& change);

// A live object as found, for conflict notes: "bridge cbr0, up, mtu 1500, group 0".
std::string describe_found(const live::Link& link);
std::string describe_found(const live::Address& address);
std::string describe_found(const live::Route& route);
std::string describe_found(const live::Neighbor& neighbor);

// What a step does, as a phrase: "delete link veth3", "take link veth1 down".
std::string describe_action(const Step& step);

// Canonical text of declared objects (the values of applied_record()).
std::string canonical(const ir::Namespace& netns);
std::string canonical(const ir::Link& link);
std::string canonical(const ir::Address& address);
std::string canonical(const ir::Route& route);
std::string canonical(const ir::Neighbor& neighbor);

}  // namespace podnetc::plan
