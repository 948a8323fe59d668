// What the file `show --as pnet` wrote does on the node it was read from, found by
// doing it: the text is parsed and lowered like any topology file and planned
// against that very state. The notes are the plan's (plan_notes.hpp), the live
// objects in the file's pods and host devices that it does not declare and podnetc
// does not own (they stay as they are), or, should the file not lower, its errors.
#pragma once

#include <string>
#include <vector>

#include "compiler/live/live_state.hpp"

namespace podnetc::live {

std::vector<std::string> adoption_notes(const std::string& pnet, const State& state);

}  // namespace podnetc::live
