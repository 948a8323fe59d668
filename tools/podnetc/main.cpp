// podnetc: declarative pod networking for a Linux node. This file only picks the
// subcommand; each one lives in its own cmd_*.cpp.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "tools/podnetc/command.hpp"
#include "tools/podnetc/exit_codes.hpp"

namespace podnetc::cli {
namespace {

std::vector<const Command*> all_commands() {
    return {&check_command(), &compile_command(), &show_command(), &plan_command(),
            &apply_command(), &destroy_command(), &recover_command(), &agent_command(), &status_command()};
}

void print_usage(std::FILE* out) {
    fmt::print(out,
               "usage: podnetc COMMAND [ARGS...]\n\n"
               "Declarative pod networking for a Linux node: a topology file (.pnet or .toml)\n"
               "compiled, planned against the live kernel and applied as one transaction.\n\n"
               "commands:\n");
    for (const Command* c : all_commands()) fmt::print(out, "  {:<9} {}\n", c->spec.name, c->spec.summary);
    fmt::print(out,
               "\n`podnetc COMMAND --help` describes a command. Exit codes: 0 ok, 1 error,\n"
               "2 changes pending (plan --detailed-exitcode) or not converged (status),\n"
               "3 failed and rolled back, 4 rollback incomplete, 5 lock timeout, 64 usage error.\n");
}

}  // namespace

int dispatch(const Command& command, const std::vector<std::string>& argv) {
    std::string error;
    const auto args = parse(command.spec, argv, error);
    if (!args) {
        if (error == "help") {
            fmt::print("{}", help_text(command.spec));
            return exit_code::ok;
        }
        fmt::print(stderr, "podnetc: error: {}\n", error);
        return exit_code::usage;
    }
    for (const std::string& option : args->repeated()) {
        const std::string value = *args->value(option);
        fmt::print(stderr, "podnetc: warning: {} is given more than once{}\n", option,
                   value.empty() ? "" : fmt::format("; the last one ({}) counts", value));
    }
    return command.run(*args);
}

}  // namespace podnetc::cli

int main(int argc, char** argv) {
    using namespace podnetc::cli;
    if (argc < 2) {
        print_usage(stderr);
        return podnetc::exit_code::usage;
    }
    const std::string_view name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        print_usage(stdout);
        return podnetc::exit_code::ok;
    }
    if (name == "--version" || name == "version") {
        fmt::print("podnetc {}\n", PODNETC_VERSION);
        return podnetc::exit_code::ok;
    }
    for (const Command* command : all_commands()) {
        if (command->spec.name == name) {
            return dispatch(*command, std::vector<std::string>(argv + 2, argv + argc));
        }
    }
    fmt::print(stderr, "podnetc: error: unknown command '{}' (see podnetc --help)\n", name);
    return podnetc::exit_code::usage;
}
