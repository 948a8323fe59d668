#pragma once
// An object the agent repairs again and again is not drift but a fight with another
// writer (a second controller, a script in a loop): repairing it harder only makes
// both spin. More than `limit` repairs of one object within `window` is a fight.

#include <deque>
#include <map>
#include <string>

#include "runtime/agent/clock.hpp"

namespace podnetc::agent {

class FlapDetector {
public:
    FlapDetector(std::size_t limit, Duration window) : limit_(limit), window_(window) {}
    // Records a repair of the object with this key (kernel::key_of); true when it is
    // now a fight.
    bool repaired(const std::string& key, Clock::time_point now);
    bool fighting(const std::string& key, Clock::time_point now) const;

private:
    std::size_t recent(const std::string& key, Clock::time_point now) const;

    std::size_t limit_;
    Duration window_;
    std::map<std::string, std::deque<Clock::time_point>> repairs_;
};

}  // namespace podnetc::agent
