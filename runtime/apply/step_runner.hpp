// Executes a sequence of plan steps through an ApplyTransport: consecutive netlink
// steps of one namespace are encoded into one RequestBatch and sent together (many
// requests per sendmsg); namespace steps run on their own, in order, between
// batches. Used three ways: applying a plan (stop at the first failure), and
// running inverses for a rollback or a crash recovery (go on after failures, so
// that everything that can be undone is).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/steps/plan.hpp"
#include "runtime/apply/apply_transport.hpp"
#include "runtime/netlink/netlink_index_map.hpp"
#include "runtime/sys/sys_error.hpp"

namespace podnetc::rt {

enum class StepStatus {
    not_run,  // never handed to the kernel
    done,     // acknowledged
    failed,   // refused (by the kernel, by a namespace operation, or not encodable)
    unknown,  // sent, but the transport failed before its ack came: it may have happened
};

struct StepOutcome {
    StepStatus status = StepStatus::not_run;
    int error = 0;        // errno (also for steps that could not be encoded: ENODEV, ENOENT…)
    std::string message;  // the kernel's extended ack, or what failed
    bool sent = false;    // went to the kernel in a netlink batch (else: namespace step or not encoded)
};

struct RunOptions {
    // Stop after the first batch with a failure (apply), or run every step (undo).
    bool stop_at_failure = true;
    // Before steps [first, last) are handed to the kernel (the journal's progress
    // mark). An error stops the run before they are sent.
    std::function<Result<void>(std::size_t first, std::size_t last)> before_send;
    // After the steps [first, last) left in one sendmsg, before their acks are read.
    std::function<void(std::size_t first, std::size_t last)> after_send;
    // Whenever steps were completed, with how many are.
    std::function<void(std::size_t completed)> on_progress;
    // Test fault (PODNETC_TEST_FAIL_AT): the step with this index is sent in a form
    // the kernel refuses (apply_faults.hpp); a namespace step is refused without
    // being run.
    std::optional<std::size_t> refuse_step;
};

struct RunStats {
    std::size_t requests = 0;       // netlink requests sent
    std::size_t batches = 0;        // RequestBatches handed to the transport
    std::size_t sendmsg_calls = 0;
    std::size_t namespace_steps = 0;  // namespace operations run
    // Where the time went (`apply --timings`): sending batches and reading their acks,
    // per namespace ("" is the host); namespace operations (create, delete, registry).
    std::map<std::string, std::chrono::nanoseconds> send_time;
    std::chrono::nanoseconds namespace_time{};
    std::chrono::nanoseconds mark_time{};  // before_send: the journal's progress marks (and what else the caller checks)
};

struct RunResult {
    std::vector<StepOutcome> outcomes;  // one per step
    // A batch whose acks could not be read, or a progress mark that could not be
    // written: the run stopped there.
    std::optional<SysError> interrupted;
    RunStats stats;

    // Index of the first failed or unknown step, or nullopt.
    std::optional<std::size_t> first_failure() const;
};

// `indexes` must describe the kernel as it is when the run starts; it follows
// what the steps do (pinned ifindexes of created links).
RunResult run_steps(const std::vector<const plan::Step*>& steps, ApplyTransport& transport, IndexMap& indexes,
                    const RunOptions& options);

}  // namespace podnetc::rt
