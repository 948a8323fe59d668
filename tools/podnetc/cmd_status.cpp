#include <cerrno>
#include <csignal>
#include <cstdio>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "runtime/agent/agent_status.hpp"
#include "runtime/state/state_dir.hpp"
#include "runtime/state/state_files.hpp"
#include "tools/podnetc/command.hpp"
#include "tools/podnetc/exit_codes.hpp"
#include "tools/podnetc/topology.hpp"

namespace podnetc::cli {
namespace {

using nlohmann::json;

// A member, or null when the file lacks it (operator[] of a const json must not be
// used with a missing key).
const json& at(const json& object, const char* key) {
    static const json none;
    if (!object.is_object()) return none;
    const auto found = object.find(key);
    return found == object.end() ? none : *found;
}

std::string text_of(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return "never";
    return value.dump();
}

// kill(pid, 0): the process exists (EPERM: it exists, but is not ours).
bool alive(std::int64_t pid) { return pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

void print_status(const json& status) {
    const auto pid = status.value("pid", std::int64_t{0});
    fmt::print("Agent for node '{}': {} (pid {}), started {}\n", text_of(at(status, "node")),
               alive(pid) ? "running" : "not running", pid, text_of(at(status, "started")));
    fmt::print("  file {}, drift {}\n", text_of(at(status, "file")), text_of(at(status, "drift_policy")));
    const json& last = at(status, "last_cycle");
    fmt::print("Last cycle {} ({}, {} s): {}\n", text_of(at(last, "ended")), text_of(at(last, "trigger")),
               text_of(at(last, "seconds")), text_of(at(last, "result")));
    fmt::print("  {}\n", text_of(at(last, "summary")));
    fmt::print("  pending changes: {}\n", last.value("pending", std::uint64_t{0}));
    for (const json& object : at(last, "drift")) fmt::print("  drift: {}\n", text_of(object));
    for (const json& problem : at(last, "problems")) fmt::print("  {}\n", text_of(at(problem, "message")));
    fmt::print("Last converged {}, last change applied {}\n", text_of(at(status, "last_success")),
               text_of(at(status, "last_apply")));
    std::string cycles;
    for (const auto& [result, count] : at(status, "cycles").items()) {
        cycles += fmt::format("{}{} {}", cycles.empty() ? "" : ", ", result, count.get<std::uint64_t>());
    }
    fmt::print("Cycles: {}; drift repairs {}, fights {}\n", cycles.empty() ? "none" : cycles,
               status.value("drift_repairs", std::uint64_t{0}), status.value("fights", std::uint64_t{0}));
}

int run_status(const Args& args) {
    const std::string node = choose_node(args).name;
    const std::string path = agent::status_path(rt::state_dir_from_environment(), node);
    auto text = rt::read_state_file(path);
    if (!text) {
        fmt::print(stderr, "podnetc: error: {}\n", text.error().message);
        return exit_code::error;
    }
    if (!*text) {
        fmt::print(stderr, "podnetc: no agent status for node '{}' ({} does not exist: no agent has run here)\n",
                   node, path);
        return exit_code::error;
    }
    const json status = json::parse(**text, nullptr, false);
    if (status.is_discarded() || !status.is_object() || status.value("format", "") != agent::kStatusFormat) {
        fmt::print(stderr, "podnetc: error: {} is not an agent status file ({})\n", path, agent::kStatusFormat);
        return exit_code::error;
    }
    if (args.flag("--json")) {
        fmt::print("{}", **text);
    } else {
        print_status(status);
    }
    return status.value("converged", false) ? exit_code::ok : exit_code::changes_pending;
}

}  // namespace

const Command& status_command() {
    static const Command command{
        CommandSpec{
            "status",
            "[--node NAME] [--json]",
            "Show what the agent last did on the node: when, the outcome, pending changes, problems.",
            "  Reads the agent's status file ($PODNETC_STATE_DIR/agent/NODE.json, written after\n"
            "  every cycle). Exit status: 0 converged, 2 not converged (pending changes, an\n"
            "  error, a file that does not compile), 1 no status (no agent ran on this node).",
            {
                {"--node", "NAME", "the node (default: $PODNETC_NODE, else the hostname)"},
                {"--json", "", "print the status file itself (format podnetc-agent-status/1)"},
            },
            0,
            0,
        },
        run_status,
    };
    return command;
}

}  // namespace podnetc::cli
