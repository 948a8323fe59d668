// One podnetc subcommand: its declaration (for parsing and --help) and its body.
#pragma once

#include <string>
#include <vector>

#include "tools/podnetc/cli_args.hpp"

namespace podnetc::cli {

struct Command {
    CommandSpec spec;
    int (*run)(const Args& args);
};

const Command& check_command();
const Command& compile_command();
const Command& show_command();
const Command& plan_command();
const Command& apply_command();
const Command& destroy_command();
const Command& recover_command();
const Command& agent_command();
const Command& status_command();

// Parses argv for the command, handles --help and usage errors, then runs it.
int dispatch(const Command& command, const std::vector<std::string>& argv);

}  // namespace podnetc::cli
