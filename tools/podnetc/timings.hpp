// `apply --timings` / `destroy --timings`: where the time went, phase by phase —
// compile, lock and read, plan, journal, send/ack per namespace, namespace
// operations, verify, undo, commit and record. Printed as a table on stderr (stdout
// keeps the result), and in the --json result as "timings" (docs/JSON.md), which is
// what tools/bench reads.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "runtime/transaction/transaction.hpp"
#include "tools/podnetc/cli_args.hpp"

namespace podnetc::cli {

inline constexpr OptionSpec kTimingsOption{"--timings", "", "say where the time went, phase by phase (on stderr; in --json too)"};

class Timings {
public:
    using Clock = std::chrono::steady_clock;

    Timings() : started_(Clock::now()), mark_(started_) {}

    // The time since the last lap (or the start) is phase `name`.
    void lap(std::string name);
    // The phases of a transaction, from its outcome; the clock's lap mark moves on.
    void add_transaction(const rt::TransactionOutcome& outcome);

    struct Phase {
        std::string name;  // "compile", "send/ack host", "send/ack pod-1", …
        std::chrono::nanoseconds time;
    };
    const std::vector<Phase>& phases() const { return phases_; }
    std::chrono::nanoseconds total() const { return Clock::now() - started_; }

    // "  compile           1.2 ms" lines; namespaces beyond the `most` slowest are
    // summed in one line.
    std::string table(std::size_t most = 5) const;

private:
    Clock::time_point started_;
    Clock::time_point mark_;
    std::vector<Phase> phases_;
};

}  // namespace podnetc::cli
