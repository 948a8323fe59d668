// Test-only fault switches (docs/APPLY.md, "Test-only switches"). They exist so that
// the kernel tests can prove rollback and crash recovery against the real kernel at
// every step of a plan. Only the test build, podnetc-test-switches, reads them from
// the environment (tools/podnetc/test_switches.hpp); the product ignores them.
//
//   PODNETC_TEST_FAIL_AT=k  operation k (1-based, in plan order) fails in the kernel:
//                           its request carries an attribute the kernel's policy
//                           check refuses before doing anything, while the later
//                           requests of the same sendmsg still go through. A
//                           namespace operation k is refused without being run.
//   PODNETC_TEST_KILL_AT=k  the process raises SIGKILL right after the sendmsg that
//                           carried operation k (before its acks are read), or right
//                           after namespace operation k.
//   PODNETC_TEST_KILL_AT=verified | committed | recorded
//                           SIGKILL at a step of the commit (runtime/transaction):
//                           every operation verified, journal not yet committed; the
//                           journal committed, the applied record not yet written;
//                           the record written, the lock not yet released.
//   PODNETC_TEST_KILL_AT=registry:NAME
//                           SIGKILL inside the namespace operation on NAME, between
//                           the kernel and the namespace registry.
//   PODNETC_TEST_PAUSE_BEFORE_SEND=PATH
//                           once the plan is made and journaled, and before the first
//                           operation is sent, create PATH.waiting and wait (up to 30
//                           s) until PATH exists: a test changes the kernel between
//                           podnetc's reading and its sending, deterministically.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "compiler/base/expected.hpp"
#include "runtime/netlink/nl_batch.hpp"

namespace podnetc::rt {

// Where a transaction can be killed besides after an operation's send.
enum class CommitPoint {
    verified,   // everything applied and verified; the journal still says "undo me"
    committed,  // the journal is committed (removed); the applied record is the old one
    recorded,   // the applied record is written; the transaction is over
};

struct TestFaults {
    std::optional<std::size_t> fail_at;  // 0-based op index
    std::optional<std::size_t> kill_at;  // 0-based op index
    std::optional<CommitPoint> kill_at_commit;
    std::optional<std::string> kill_in_registry;  // namespace name
    std::optional<std::string> pause_before_send;

    bool any() const { return fail_at || kill_at || kill_at_commit || kill_in_registry || pause_before_send; }
};

// PODNETC_TEST_KILL_AT: dies (SIGKILL) when `at` is the point the switch names.
void kill_if_at(const TestFaults& faults, CommitPoint at);

// PODNETC_TEST_PAUSE_BEFORE_SEND: announces the pause and waits for the go.
void pause_before_send(const std::string& path);

// Makes the last request of `batch` one that the kernel refuses in its attribute
// policy check, i.e. before it changes anything (ERANGE, "Attribute failed policy
// validation"): a one-byte attribute where the request's family expects a u32.
// False if the request type is not one the encoder writes, or there is no room.
bool make_kernel_refuse_last(nl::RequestBatch& batch);

}  // namespace podnetc::rt
