// JSON form of one Step (docs/JSON.md, "Plan"): {"kind", "netns", "object"}, every
// field of the object present, optional ones as null. Shared by the plan writer
// and reader so that the two cannot disagree.
#pragma once

#include <nlohmann/json.hpp>

#include "compiler/json/json_writer.hpp"
#include "compiler/steps/plan.hpp"

namespace podnetc::plan {

void write_step(JsonWriter& writer, const Step& step);
// Throws std::runtime_error naming the bad field.
Step step_from_json(const nlohmann::json& json);

}  // namespace podnetc::plan
