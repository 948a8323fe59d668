// The canonical order of a live::State: namespaces by name (host "" first), then
// every object by namespace and name or address. Readers and printers sort with
// this, so that no output depends on ifindex or dump order.
#pragma once

#include "compiler/live/live_state.hpp"

namespace podnetc::live {

void sort_state(State& state);

}  // namespace podnetc::live
