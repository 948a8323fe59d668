#include <fmt/format.h>

#include "tools/podnetc/command.hpp"
#include "tools/podnetc/exit_codes.hpp"
#include "tools/podnetc/reporter.hpp"
#include "tools/podnetc/transaction_report.hpp"

namespace podnetc::cli {
namespace {

int recover(const Args& args, Reporter& reporter, CommandResult& result, std::optional<RecoveryReport>& recovery) {
    const auto settings = transaction_settings(args, reporter);
    if (!settings) return exit_code::usage;
    int status = exit_code::ok;
    auto session = open_session(TransactionSettings{rt::TestFaults{}, settings->lock_timeout}, reporter, status);
    if (!session) return status;
    std::optional<int> stop_signal;
    status = recover_pending(*session, reporter, recovery, stop_signal);
    if (stop_signal) say_stop_signal(reporter, *stop_signal, "recovery", "it was finished first");
    if (!recovery) {
        result.outcome = status == exit_code::ok ? "nothing_to_recover" : "error";
        reporter.result("Nothing to recover.\n");
        return status;
    }
    // The interrupted transaction's operations: the first ops_undone were undone.
    result.fates.assign(recovery->plan.ops.size(), OpFate::not_sent);
    for (std::size_t i = 0; i < recovery->ops_undone && i < result.fates.size(); ++i) result.fates[i] = OpFate::undone;
    result.rolled_back = true;
    result.outcome = status == exit_code::ok ? "recovered" : "rollback_incomplete";
    if (status == exit_code::ok) {
        reporter.result(fmt::format("Recovered: `podnetc {}` was undone.\n", recovery->command));
    }
    result.node = recovery->plan.node;
    result.plan = std::move(recovery->plan);
    return status;
}

int run_recover(const Args& args) {
    Reporter reporter(args);
    CommandResult result("recover");
    std::optional<RecoveryReport> recovery;
    const int status = recover(args, reporter, result, recovery);
    static const SourceSet no_sources;
    return reporter.finish(result, recovery ? recovery->sources : no_sources, status);
}

}  // namespace

const Command& recover_command() {
    static const Command command{
        CommandSpec{
            "recover",
            "[--lock-timeout S] [--json] [--quiet]",
            "Roll back an apply or destroy that was killed half way (from its journal).",
            "  apply and destroy do this by themselves before anything else; `recover` does\n"
            "  only this. Exit status: 0 recovered (or nothing to recover), 1 error,\n"
            "  4 the node could not be restored (the journal is kept aside), 5 lock timeout.",
            {
                {"--lock-timeout", "S", "wait at most S seconds for the node lock (default 60)"},
                kJsonOption,
                kQuietOption,
            },
            0,
            0,
        },
        run_recover,
    };
    return command;
}

}  // namespace podnetc::cli
