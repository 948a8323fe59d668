// Undoing operations: the inverse steps of each operation, last operation first,
// then a fresh reading of the kernel compared with the state before the apply.
// Shared by the rollback after a failed acknowledgement and by crash recovery.
//
// An inverse may find its work already done: during crash recovery the journal
// only says which operations *may* have reached the kernel, and an operation the
// kernel refused has nothing to undo. Such outcomes count as undone, per kind of
// inverse step, only where the error means exactly that:
//   delete_link      ENODEV         the link does not exist (also: no such name to encode)
//   delete_address   EADDRNOTAVAIL  the address is not on the device; ENODEV: nor is the device
//   delete_route     ESRCH          no such route; ENODEV: its device is gone, so is the route
//   delete_neighbor  ENOENT         no such entry; ENODEV: its device is gone, so is the entry
//   delete_netns     ENOENT         no such namespace
//   unregister_netns, register_netns: idempotent, never fail for that reason
//   create_netns, create_link, add_address, add_route, add_neighbor
//                    EEXIST         it exists (the deletion it undoes never happened)
//   change_link, set_neigh_parms, replace_*
//                    ENODEV         the device whose settings they restore is gone:
//                    there is nothing to set. (The device existed before the apply
//                    only if an earlier operation deleted it; that operation's
//                    inverse, which runs later, re-creates it with every setting it
//                    had.) Any other error is a failure; values already in place
//                    are no error at all.
// Whatever is tolerated, the comparison with the state before decides.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"
#include "runtime/apply/apply_transport.hpp"
#include "runtime/netlink/netlink_index_map.hpp"
#include "runtime/apply/step_runner.hpp"

namespace podnetc::rt {

bool means_already_undone(plan::StepKind kind, int error);

struct UndoProblem {
    std::size_t op = 0;  // the operation whose inverse failed
    plan::Step step;     // the inverse step
    int error = 0;
    std::string message;
    bool kernel = true;  // refused by the kernel (a netlink request), else a namespace operation
};

struct RestoreReport {
    std::size_t ops_undone = 0;      // operations whose inverses ran
    std::size_t steps_run = 0;       // inverse steps handed to the kernel
    std::size_t already_undone = 0;  // of those, found already undone
    std::vector<UndoProblem> problems;
    std::optional<SysError> interrupted;  // the undo could not go on
    RunStats stats;
    // The state read after the undo, compared with the state before the apply
    // (state_compare.hpp): differences in what podnetc owns or the plan names, and
    // differences in foreign objects, which someone else made meanwhile.
    std::optional<SysError> read_error;
    std::vector<std::string> differences;
    std::vector<std::string> changed_by_others;

    bool restored() const { return !read_error && differences.empty(); }
};

// Runs the inverses of `ops` (indexes into plan.ops, in the order the operations
// ran) from the last to the first, then reads the kernel and compares it with
// `before`. `indexes` is refreshed from a reading of the kernel first.
// `ops_of_others`: operations whose objects another process changed during the
// apply; they are not in `ops`, and their differences count as someone else's.
RestoreReport undo_operations(const plan::Plan& plan, const std::vector<std::size_t>& ops, const live::State& before,
                              ApplyTransport& transport, IndexMap& indexes,
                              const std::set<std::size_t>& ops_of_others = {});

}  // namespace podnetc::rt
