#include "runtime/transaction/deferred_signals.hpp"

#include <ctime>

#include <pthread.h>

namespace podnetc::rt {

DeferredSignals::DeferredSignals() {
    sigemptyset(&stop_);
    for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&stop_, signal);
    pthread_sigmask(SIG_BLOCK, &stop_, &saved_);
}

DeferredSignals::~DeferredSignals() { pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }

std::optional<int> DeferredSignals::take_arrived() {
    std::optional<int> first;
    const timespec now{0, 0};
    // Each blocked signal is pending at most once; take every one of them.
    for (;;) {
        const int signal = sigtimedwait(&stop_, nullptr, &now);
        if (signal <= 0) break;
        if (!first) first = signal;
    }
    return first;
}

const char* stop_signal_name(int signal) {
    switch (signal) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    case SIGQUIT: return "SIGQUIT";
    default: return "a signal";
    }
}

}  // namespace podnetc::rt
