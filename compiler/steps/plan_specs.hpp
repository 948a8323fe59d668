// Conversions between step objects (plan.hpp) and the objects of a live state:
// what a step creates, and the step that re-creates a live object exactly.
#pragma once

#include "compiler/ir/ir.hpp"
#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"

namespace podnetc::plan {

AddressSpec address_spec(const live::Address& address);
RouteSpec route_spec(const live::Route& route);
NeighborSpec neighbor_spec(const live::Neighbor& neighbor);

live::Address live_address(const AddressSpec& spec);
live::Route live_route(const RouteSpec& spec);
live::Neighbor live_neighbor(const NeighborSpec& spec);

// What podnetc creates for a declaration: owned markers, main table, metric 0.
AddressSpec desired_address(const ir::Address& address);
RouteSpec desired_route(const ir::Route& route);
NeighborSpec desired_neighbor(const ir::Neighbor& neighbor);

}  // namespace podnetc::plan
