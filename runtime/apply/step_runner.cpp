#include "runtime/apply/step_runner.hpp"

#include <cerrno>
#include <memory>
#include <utility>

#include <fmt/format.h>

#include "runtime/apply/apply_faults.hpp"
#include "runtime/netlink/netlink_encode.hpp"

namespace podnetc::rt {
namespace {

// Room for a namespace's whole share of a large plan (500 pods' host requests are
// ~170 KiB); a batch that outgrows it is sent in parts.
constexpr std::size_t kBatchBufferBytes = 1 << 20;

int errno_of(EncodeStatus status) {
    switch (status) {
    case EncodeStatus::unknown_link: return ENODEV;
    case EncodeStatus::unknown_netns: return ENOENT;
    case EncodeStatus::no_room: return EMSGSIZE;
    default: return EINVAL;
    }
}

class Runner {
public:
    Runner(const std::vector<const plan::Step*>& steps, ApplyTransport& transport, IndexMap& indexes,
           const RunOptions& options)
        : steps_(steps), transport_(transport), indexes_(indexes), options_(options),
          buffer_(new std::byte[kBatchBufferBytes]), batch_(std::span<std::byte>(buffer_.get(), kBatchBufferBytes)) {
        result_.outcomes.resize(steps.size());
    }

    RunResult run() {
        for (std::size_t i = 0; i < steps_.size() && !stopped_; ++i) {
            const plan::Step& step = *steps_[i];
            if (!is_netlink(step.kind())) {
                if (!flush()) break;
                run_namespace_step(i);
                continue;
            }
            if (!pending_.empty() && step.netns() != batch_netns_) {
                if (!flush()) break;
            }
            add(i);
        }
        if (!stopped_) flush();
        return std::move(result_);
    }

private:
    void fail(std::size_t index, int error, std::string message) {
        StepOutcome& outcome = result_.outcomes[index];
        outcome.status = StepStatus::failed;
        outcome.error = error;
        outcome.message = std::move(message);
        if (options_.stop_at_failure) stopped_ = true;
    }

    void progress() {
        if (options_.on_progress) options_.on_progress(completed_);
    }

    bool mark(std::size_t first, std::size_t last) {
        if (!options_.before_send) return true;
        const auto started = std::chrono::steady_clock::now();
        auto marked = options_.before_send(first, last);
        result_.stats.mark_time += std::chrono::steady_clock::now() - started;
        if (marked) return true;
        result_.interrupted = std::move(marked).error();
        stopped_ = true;
        return false;
    }

    void run_namespace_step(std::size_t index) {
        const plan::Step& step = *steps_[index];
        if (!mark(index, index + 1)) return;
        if (options_.refuse_step == index) {
            fail(index, ECANCELED, "refused on purpose (test switch PODNETC_TEST_FAIL_AT)");
        } else if (auto done = run_transport_namespace_step(step); !done) {
            fail(index, done.error().code, done.error().message);
        } else {
            result_.outcomes[index].status = StepStatus::done;
            // Only for its effect on the map (a new namespace holds lo; a deleted one
            // takes its links along); namespace steps write no request.
            nl::RequestBatch none(std::span<std::byte>{});
            encode(step, indexes_, transport_.netns_fds(), none);
        }
        if (options_.after_send) options_.after_send(index, index + 1);
        ++completed_;
        progress();
    }

    Result<void> run_transport_namespace_step(const plan::Step& step) {
        ++result_.stats.namespace_steps;
        const auto started = std::chrono::steady_clock::now();
        Result<void> done = transport_.run_namespace_step(step);
        result_.stats.namespace_time += std::chrono::steady_clock::now() - started;
        return done;
    }

    void add(std::size_t index) {
        const plan::Step& step = *steps_[index];
        EncodeResult encoded = encode(step, indexes_, transport_.netns_fds(), batch_);
        if (encoded.status == EncodeStatus::no_room && !pending_.empty()) {
            if (!flush()) return;
            encoded = encode(step, indexes_, transport_.netns_fds(), batch_);
        }
        if (!encoded.ok()) {
            fail(index, errno_of(encoded.status), encoded.error);
            if (stopped_) discard();
            return;
        }
        if (options_.refuse_step == index && !make_kernel_refuse_last(batch_)) {
            batch_.drop_last();
            fail(index, ECANCELED, "refused on purpose (test switch PODNETC_TEST_FAIL_AT)");
            if (stopped_) discard();
            return;
        }
        batch_netns_ = step.netns();
        pending_.push_back(index);
    }

    // Steps encoded but not sent are dropped when the run stops before them.
    void discard() {
        batch_.clear();
        pending_.clear();
    }

    // Sends the pending batch. False when the run must stop.
    bool flush() {
        if (pending_.empty()) return !stopped_;
        const std::vector<std::size_t> indexes = std::exchange(pending_, {});
        if (!mark(indexes.front(), indexes.back() + 1)) {
            batch_.clear();
            return false;
        }
        std::vector<const plan::Step*> steps;
        steps.reserve(indexes.size());
        for (std::size_t index : indexes) steps.push_back(steps_[index]);

        nl::BatchOptions batch_options;
        batch_options.stop_after_failure = options_.stop_at_failure;
        if (options_.after_send) {
            batch_options.after_send = [&](std::size_t first, std::size_t last) {
                options_.after_send(indexes[first], indexes[last - 1] + 1);
            };
        }
        ++result_.stats.batches;
        const auto started = std::chrono::steady_clock::now();
        auto outcome = transport_.send(batch_netns_, batch_, steps, batch_options);
        result_.stats.send_time[batch_netns_] += std::chrono::steady_clock::now() - started;
        batch_.clear();
        if (!outcome) {
            for (std::size_t index : indexes) {
                result_.outcomes[index].status = StepStatus::unknown;
                result_.outcomes[index].sent = true;
            }
            result_.interrupted = std::move(outcome).error();
            stopped_ = true;
            return false;
        }
        result_.stats.sendmsg_calls += outcome->sendmsg_calls;
        result_.stats.requests += outcome->acks.size();
        for (std::size_t i = 0; i < outcome->acks.size(); ++i) {
            const nl::Ack& ack = outcome->acks[i];
            StepOutcome& step_outcome = result_.outcomes[indexes[i]];
            step_outcome.sent = true;
            if (ack.ok()) {
                step_outcome.status = StepStatus::done;
            } else {
                step_outcome.status = StepStatus::failed;
                step_outcome.error = ack.error;
                step_outcome.message = ack.message;
            }
        }
        completed_ += outcome->acks.size();
        progress();
        if (options_.stop_at_failure && !outcome->all_ok()) stopped_ = true;
        return !stopped_;
    }

    const std::vector<const plan::Step*>& steps_;
    ApplyTransport& transport_;
    IndexMap& indexes_;
    const RunOptions& options_;
    // Not zeroed: a small plan touches a few of its pages, not all 256 (a zeroed
    // vector cost ~3 ms per run in page faults on this VM, measured with --timings).
    std::unique_ptr<std::byte[]> buffer_;
    nl::RequestBatch batch_;
    std::string batch_netns_;
    std::vector<std::size_t> pending_;  // step indexes of the requests in batch_
    RunResult result_;
    std::size_t completed_ = 0;
    bool stopped_ = false;
};

}  // namespace

std::optional<std::size_t> RunResult::first_failure() const {
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        if (outcomes[i].status == StepStatus::failed || outcomes[i].status == StepStatus::unknown) return i;
    }
    return std::nullopt;
}

RunResult run_steps(const std::vector<const plan::Step*>& steps, ApplyTransport& transport, IndexMap& indexes,
                    const RunOptions& options) {
    return Runner(steps, transport, indexes, options).run();
}

}  // namespace podnetc::rt
