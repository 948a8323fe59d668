#pragma once
// Turns a burst of events (an editor's write-rename-chmod, a `git checkout` touching
// many files, a thousand rapid writes) into one cycle: the cycle is due `quiet` after
// the last event, but at most `max_wait` after the first, so that a file written
// without pause still converges.

#include <optional>

#include "runtime/agent/clock.hpp"

namespace podnetc::agent {

class Debouncer {
public:
    Debouncer(Duration quiet, Duration max_wait) : quiet_(quiet), max_wait_(max_wait) {}
    void event(Clock::time_point now);
    // When the pending cycle is due; nullopt when no event is pending.
    std::optional<Clock::time_point> deadline() const;
    bool due(Clock::time_point now) const;
    void fired();  // the cycle ran: events from now on start a new burst

private:
    Duration quiet_;
    Duration max_wait_;
    std::optional<Clock::time_point> first_;
    Clock::time_point last_{};
};

}  // namespace podnetc::agent
