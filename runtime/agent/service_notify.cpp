#include "runtime/agent/service_notify.hpp"

#include <chrono>
#include <string>

#include <fmt/format.h>
#include <systemd/sd-daemon.h>

namespace podnetc::agent {

ServiceNotifier::ServiceNotifier() {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        watchdog_interval_ = std::chrono::duration_cast<Duration>(std::chrono::microseconds(usec / 2));
    }
}

void ServiceNotifier::cycle_done(std::string_view status) {
    const std::string message = fmt::format("{}STATUS={}", ready_sent_ ? "" : "READY=1\n", status);
    sd_notify(0, message.c_str());
    ready_sent_ = true;
}

void ServiceNotifier::watchdog() { sd_notify(0, "WATCHDOG=1"); }

void ServiceNotifier::stopping(std::string_view status) {
    sd_notify(0, fmt::format("STOPPING=1\nSTATUS={}", status).c_str());
}

}  // namespace podnetc::agent
