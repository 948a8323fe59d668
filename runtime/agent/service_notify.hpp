// Telling the supervisor how the agent is (sd_notify(3), libsystemd): READY=1 after
// the first cycle (Type=notify units start their dependents then), STATUS= after
// every cycle (`systemctl status` shows it), WATCHDOG=1 at half the unit's WatchdogSec,
// STOPPING=1 on the way out. Without $NOTIFY_SOCKET every call does nothing.
#pragma once

#include <optional>
#include <string_view>

#include "runtime/agent/clock.hpp"

namespace podnetc::agent {

class ServiceNotifier {
public:
    ServiceNotifier();
    void cycle_done(std::string_view status);  // READY=1 the first time, STATUS= always
    void watchdog();
    void stopping(std::string_view status);
    // How often watchdog() must be called; nullopt: no watchdog asked for.
    std::optional<Duration> watchdog_interval() const { return watchdog_interval_; }

private:
    bool ready_sent_ = false;
    std::optional<Duration> watchdog_interval_;
};

}  // namespace podnetc::agent
