// Whose an address, route or neighbour is. podnetc's marker says so; so does the
// applied record when it holds this very object: the same key and, with the marker
// set again, the same canonical text. Then podnetc created it and another tool
// rewrote it with podnetc's values but without the marker (`ip addr replace`, `ip
// route replace`: hostile-history seed 4078599005). Such an object is podnetc's to
// delete when the file no longer declares it, and not foreign when it goes with
// its namespace or device. (A declared one is re-marked as drift: planner_classify.)
#pragma once

#include <map>
#include <optional>
#include <string>

#include "compiler/live/live_state.hpp"

namespace podnetc::plan {

using AppliedRecord = std::optional<std::map<std::string, std::string>>;

bool ours(const live::Address& address, const AppliedRecord& record);
bool ours(const live::Route& route, const AppliedRecord& record);
bool ours(const live::Neighbor& neighbor, const AppliedRecord& record);

}  // namespace podnetc::plan
