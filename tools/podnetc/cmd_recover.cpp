#include <fmt/format.h>

#include "tools/podnetc/command.hpp"
#include "tools/podnetc/exit_codes.hpp"
#include "tools/podnetc/transaction_report.hpp"

namespace podnetc::cli {
namespace {

int run_recover(const Args& args) {
    std::string error;
    const auto timeout = lock_timeout(args, error);
    if (!timeout) {
        fmt::print(stderr, "podnetc: {}\n", error);
        return exit_code::usage;
    }
    int status = exit_code::ok;
    auto session = open_session(TransactionSettings{rt::TestFaults{}, *timeout}, status);
    if (!session) return status;
    std::optional<int> stop_signal;
    status = recover_pending(*session, true, stop_signal);
    if (stop_signal) {
        say_stop_signal(*stop_signal, "recovery", "it was finished first");
    }
    return status;
}

}  // namespace

const Command& recover_command() {
    static const Command command{
        CommandSpec{
            "recover",
            "[--lock-timeout S]",
            "Roll back an apply or destroy that was killed half way (from its journal).",
            "  apply and destroy do this by themselves before anything else; `recover` does\n"
            "  only this. Exit status: 0 recovered (or nothing to recover), 1 error,\n"
            "  4 the node could not be restored (the journal is kept aside), 5 lock timeout.",
            {
                {"--lock-timeout", "S", "wait at most S seconds for the node lock (default 60)"},
            },
            0,
            0,
        },
        run_recover,
    };
    return command;
}

}  // namespace podnetc::cli
