#pragma once
// Capped exponential backoff with jitter, for retrying an apply that was rolled back
// (and for an object another writer keeps changing). Attempt k waits a random time in
// [d/2, d] with d = min(cap, first * 2^k): never zero, so nodes that failed together
// do not retry in lockstep, and never more than the cap.

#include <cstdint>
#include <random>

#include "runtime/agent/clock.hpp"

namespace podnetc::agent {

class Backoff {
public:
    Backoff(Duration first, Duration cap, std::uint32_t seed);
    Duration next();   // the wait before the next attempt; counts the attempt
    void reset();      // after a success: the next failure waits `first` again
    int attempts() const { return attempts_; }

private:
    Duration first_;
    Duration cap_;
    int attempts_ = 0;
    std::mt19937 random_;
};

}  // namespace podnetc::agent
