// What apply, destroy and recover tell the user when something went wrong: the
// failed operation as a compiler-style diagnostic at the declaration that asked for
// it (the kernel's errno and extended-ack text in the message), then what the undo
// did: either "the node is as it was", or exactly what differs and which undo steps
// failed, and why.
//
//   route.pnet:7:1: error: the kernel refused operation 12 of 40, add route 10.10.1.10/32 dev veth1: EEXIST (File exists)
//      7 | pod pod-1 on pods address 10.10.1.10 host-veth veth1
//        | ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
//   note: operations 1-11 had been applied; operations 13-15, sent in the same batch, were applied too
//   podnetc: rolled back: 14 operations undone; the node is as it was before.
#pragma once

#include <cstddef>
#include <string>

#include "compiler/steps/plan.hpp"
#include "compiler/base/source.hpp"
#include "runtime/apply/applier.hpp"
#include "runtime/apply/undo.hpp"

namespace podnetc::rt {

// "EEXIST (File exists)", with the kernel's text after a colon when it gave one.
std::string kernel_error_text(int error, const std::string& message);

// The failure of an apply, as diagnostics (ends in a newline).
std::string render_failure(const plan::Plan& plan, const ApplyResult& result, const SourceSet& sources, bool color);

enum class UndoKind { rollback, recovery };

// What an undo achieved (ends in a newline).
std::string render_restore(const plan::Plan& plan, const RestoreReport& report, const SourceSet& sources,
                           UndoKind kind, bool color);


}  // namespace podnetc::rt
