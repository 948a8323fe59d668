#include "runtime/agent/backoff.hpp"

#include <algorithm>

namespace podnetc::agent {

Backoff::Backoff(Duration first, Duration cap, std::uint32_t seed) : first_(first), cap_(cap), random_(seed) {}

Duration Backoff::next() {
    Duration ceiling = first_;
    for (int i = 0; i < attempts_ && ceiling < cap_; ++i) ceiling *= 2;
    ceiling = std::min(ceiling, cap_);
    ++attempts_;
    std::uniform_int_distribution<Duration::rep> pick(ceiling.count() / 2, ceiling.count());
    return Duration(pick(random_));
}

void Backoff::reset() { attempts_ = 0; }

}  // namespace podnetc::agent
