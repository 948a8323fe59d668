// `podnetc plan --emit netlink`: the requests a plan sends, as text. One section per
// operation: a comment that says what and why (and which line of the topology asked
// for it), then the request the applier will send, exactly as encoded, decoded back
// by runtime/netlink/netlink_text. Namespace operations are not netlink: they
// appear as comments. Deterministic: ifindexes are the pinned ones chosen from
// `live`, and namespace descriptors are printed as namespace names.
#pragma once

#include <string>

#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"
#include "compiler/base/source.hpp"

namespace podnetc::rt {

// `sources` (optional) resolves each operation's source range to "file:line:col".
std::string plan_as_netlink_text(const plan::Plan& plan, const live::State& live,
                                 const SourceSet* sources = nullptr);

}  // namespace podnetc::rt
