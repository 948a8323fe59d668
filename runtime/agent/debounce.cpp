#include "runtime/agent/debounce.hpp"

#include <algorithm>

namespace podnetc::agent {

void Debouncer::event(Clock::time_point now) {
    if (!first_) first_ = now;
    last_ = now;
}

std::optional<Clock::time_point> Debouncer::deadline() const {
    if (!first_) return std::nullopt;
    return std::min(last_ + quiet_, *first_ + max_wait_);
}

bool Debouncer::due(Clock::time_point now) const {
    const auto at = deadline();
    return at && now >= *at;
}

void Debouncer::fired() { first_.reset(); }

}  // namespace podnetc::agent
