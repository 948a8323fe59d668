#include "runtime/agent/flap_detector.hpp"

#include <algorithm>

namespace podnetc::agent {

bool FlapDetector::repaired(const std::string& key, Clock::time_point now) {
    std::deque<Clock::time_point>& times = repairs_[key];
    while (!times.empty() && now - times.front() > window_) times.pop_front();
    times.push_back(now);
    return times.size() > limit_;
}

std::size_t FlapDetector::recent(const std::string& key, Clock::time_point now) const {
    const auto it = repairs_.find(key);
    if (it == repairs_.end()) return 0;
    return static_cast<std::size_t>(std::count_if(it->second.begin(), it->second.end(),
                                                  [&](Clock::time_point t) { return now - t <= window_; }));
}

bool FlapDetector::fighting(const std::string& key, Clock::time_point now) const {
    return recent(key, now) > limit_;
}

}  // namespace podnetc::agent
