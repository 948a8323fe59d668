// An ApplyTransport over the planner tests' in-memory kernel (kernel_sim.hpp):
// every step the applier sends is executed there, with the simulator's verdict as
// the ack, so the applier's whole logic (batches, failures in the middle of a
// batch, lost acks, crashes, undo) runs without root. Like the real kernel it
//  - processes every request of a sendmsg, also after a failed one;
//  - refuses a request that carries the PODNETC_TEST_FAIL_AT attribute, before
//    doing anything (apply_faults.hpp);
//  - gives created links the ifindexes the encoder pinned in the request.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/apply/apply_transport.hpp"
#include "tests/unit/apply/kernel_sim.hpp"

namespace podnetc::test {

class FakeTransport final : public rt::ApplyTransport {
public:
    explicit FakeTransport(live::State initial);

    // Every request or namespace operation the kernel processed, in order:
    // "create_link host veth1 …" (plan_fixtures' step_line) and its errno name or "ok".
    struct Processed {
        std::string step;
        std::string result;
    };
    const std::vector<Processed>& processed() const { return processed_; }
    void clear_log() { processed_.clear(); }

    // Requests per sendmsg (0: the whole batch in one).
    std::size_t requests_per_send = 0;
    // Makes the kernel refuse a step with this errno (0: let the simulator decide).
    std::function<int(const plan::Step&)> refuse;
    // The acks of this sendmsg (0 is the first) are lost: the kernel did the work,
    // the receive fails.
    std::optional<std::size_t> lose_acks_of_send;
    // The next read_state() calls fail while this is positive.
    int failing_reads = 0;
    // Another writer: what it is heard doing when the applier listens, given how many
    // sendmsgs went out so far (the namespaces listened in are in watched()).
    std::function<std::vector<rt::ForeignNotification>(std::size_t sends)> other_writer;
    const std::vector<std::string>& watched() const { return watched_; }

    rt::Result<void> run_namespace_step(const plan::Step& step) override;
    rt::Result<rt::nl::BatchOutcome> send(std::string_view netns, rt::nl::RequestBatch& requests,
                                      std::span<const plan::Step* const> steps,
                                      const rt::nl::BatchOptions& options) override;
    const rt::NetnsFds& netns_fds() override { return fds_; }
    rt::Result<live::State> read_state() override;
    void watch_other_writers(const std::vector<std::string>& netns) override { watched_ = netns; }
    std::vector<rt::ForeignNotification> other_writers_notifications() override {
        return other_writer && !watched_.empty() ? other_writer(sends_) : std::vector<rt::ForeignNotification>{};
    }

    // The kernel's state, as a reader would see it.
    live::State state() const;
    // Changes the kernel behind the applier's back (a foreign actor).
    void poke(const plan::Step& step);

private:
    class AnyNetnsFds final : public rt::NetnsFds {
    public:
        std::optional<int> fd_of(std::string_view netns) const override;
        std::optional<std::string> netns_of(int fd) const override;

    private:
        mutable std::map<std::string, int, std::less<>> fds_;
    };

    std::string execute(const plan::Step& step, const nlmsghdr* request);

    KernelSim kernel_;
    // Pinned ifindexes of links created through requests: (netns, name) -> index.
    std::map<std::pair<std::string, std::string>, std::int32_t> pinned_;
    AnyNetnsFds fds_;
    std::vector<Processed> processed_;
    std::size_t sends_ = 0;
    std::vector<std::string> watched_;
};

// The errno of a simulator verdict ("EEXIST" -> EEXIST); EINVAL for unknown names.
int errno_of(const std::string& name);

}  // namespace podnetc::test
