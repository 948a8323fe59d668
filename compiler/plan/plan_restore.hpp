// Inverses: the steps that take the kernel from the `after` side of a set of
// changes back to their `before` side, re-creating from the recorded values
// everything that was removed (MAC pinned, MTU, group, master, up, devconf,
// proxy_delay) and deleting everything that was created. The order is the plan's
// own: deletions of created objects, then namespaces, links (bridges before the
// veths that use them), link settings, neighbour parameters, addresses (primaries
// before secondaries), routes (link-scope before gateway routes), neighbours.
#pragma once

#include <vector>

#include "compiler/model/kernel_model.hpp"
#include "compiler/steps/plan.hpp"

namespace podnetc::plan {

std::vector<Step> restore_steps(const Changes& changes);

}  // namespace podnetc::plan
