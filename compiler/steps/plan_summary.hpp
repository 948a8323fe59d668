// How an op reads in a plan: its marker (+ ~ - =) and its counter, shared by the
// text and JSON printers so that both always agree.
#pragma once

#include <cstddef>
#include <string>

#include "compiler/steps/plan.hpp"

namespace podnetc::plan {

enum class Effect { create, change, remove, adopt };
Effect effect_of(const Op& op);
char marker(Effect effect);  // '+', '~', '-', '='

struct Counts {
    std::size_t create = 0, change = 0, remove = 0, adopt = 0, drift = 0, conflicts = 0;
};
// Drift repairs and adoptions are counted apart from creations/changes/deletions.
Counts count(const Plan& plan);

// "Plan: 3,000 to create, 0 to change, 2 to delete, 1 drift repair." (no newline;
// conflicts are not on it).
std::string summary_line(const Counts& counts);

}  // namespace podnetc::plan
