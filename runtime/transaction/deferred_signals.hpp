// While a transaction (or a recovery) runs, the signals that ask a process to stop
// (SIGINT, SIGTERM, SIGHUP, SIGQUIT) wait: stopping half way is what the journal
// can repair, but there is no reason to make it. When the transaction has ended,
// a signal that arrived meanwhile is taken (not delivered): the transaction is
// finished by then, so the caller reports its real outcome and says that it was
// asked to stop, instead of dying with a status that reads like a failure.
#pragma once

#include <optional>

#include <signal.h>

namespace podnetc::rt {

class DeferredSignals {
public:
    DeferredSignals();
    // Restores the signal mask; a signal still pending then is delivered as usual.
    ~DeferredSignals();
    DeferredSignals(const DeferredSignals&) = delete;
    DeferredSignals& operator=(const DeferredSignals&) = delete;

    // Takes the stop signals that arrived since construction, so that restoring the
    // mask delivers none of them; the first one, or nullopt.
    std::optional<int> take_arrived();

private:
    sigset_t stop_{};
    sigset_t saved_{};
};

// "SIGTERM" for the stop signals, "signal N" otherwise.
const char* stop_signal_name(int signal);

}  // namespace podnetc::rt
