// What is still to do after an apply: a fresh plan of the file against the state
// read back must be empty. Its operations and conflicts, in words (apply's and the
// agent's verification; a non-empty list undoes the transaction).
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/live/live_state.hpp"

namespace podnetc::plan {

std::vector<std::string> residual_problems(const ir::NodeIr& desired, const live::State& after);

}  // namespace podnetc::plan
