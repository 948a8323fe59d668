#include <chrono>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>

#include "compiler/live/live_state_json.hpp"
#include "compiler/live/live_state_text.hpp"
#include "compiler/to_pnet/live_to_pnet.hpp"
#include "tools/podnetc/command.hpp"
#include "tools/podnetc/exit_codes.hpp"
#include "tools/podnetc/live_input.hpp"
#include "tools/podnetc/terminal.hpp"

namespace podnetc::cli {
namespace {

// CPU time of the process (user + system: the kernel's netlink work is charged to
// the reader), which unlike wall time does not grow when other jobs share the cores.
double cpu_milliseconds() {
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

void print_stats(const live::State& state, double wall_ms, double cpu_ms) {
    fmt::print(stderr,
               "podnetc: read {} namespaces ({} links, {} addresses, {} routes, {} neighbours) in {:.2f} ms "
               "(cpu {:.2f} ms)\n",
               state.namespaces.size(), state.links.size(), state.addresses.size(), state.routes.size(),
               state.neighbors.size(), wall_ms, cpu_ms);
}

int run_show(const Args& args) {
    const std::string as = args.value_or("--as", args.flag("--json") ? "json" : "text");
    if (as != "text" && as != "json" && as != "pnet") {
        fmt::print(stderr, "podnetc: error: --as must be text, json or pnet (got '{}')\n", as);
        return exit_code::usage;
    }
    if (args.flag("--json") && as != "json") {
        fmt::print(stderr, "podnetc: error: --json and --as {} contradict each other\n", as);
        return exit_code::usage;
    }
    const LiveInput input{args.value("--state-from"), args.value("--netns"), std::nullopt};
    if (as == "pnet" && input.only_netns) {
        fmt::print(stderr, "podnetc: error: --as pnet describes the whole node; it cannot be combined with --netns\n");
        return exit_code::usage;
    }

    const auto started = std::chrono::steady_clock::now();
    const double cpu_started = cpu_milliseconds();
    auto state = read_live_state(input);
    const double cpu_elapsed = cpu_milliseconds() - cpu_started;
    const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - started;
    if (!state) {
        fmt::print(stderr, "podnetc: error: {}\n", state.error().message);
        return exit_code::error;
    }
    if (args.flag("--stats")) print_stats(*state, elapsed.count(), cpu_elapsed);

    std::string out;
    if (as == "json") out = live::to_json(*state);
    if (as == "pnet") out = live::to_pnet(*state);
    if (as == "text") out = live::to_text(*state, live::TextOptions{args.flag("--all"), use_color(stdout)});
    std::fwrite(out.data(), 1, out.size(), stdout);
    return exit_code::ok;
}

}  // namespace

const Command& show_command() {
    static const Command command{
        CommandSpec{
            "show",
            "[--json | --as text|json|pnet] [--netns NAME] [--all] [--state-from FILE]",
            "Show the node's live pod networking, each object marked [owned] or [foreign].",
            "  text  one line per object, namespace by namespace (the default). Objects the\n"
            "        kernel makes by itself (prefix routes, loopback addresses) are left out\n"
            "        unless --all is given; IPv6 is not read.\n"
            "  json  the live-state snapshot (docs/JSON.md) that `plan --state-from` reads\n"
            "  pnet  a topology file that adopts what is there (networks and pods inferred\n"
            "        from bridges, routed veths and meshes; the rest is listed in comments)\n"
            "Ownership: links in group 20558, routes/addresses/neighbours with protocol 176,\n"
            "and namespaces listed in $PODNETC_STATE_DIR/netns (default /run/podnetc).",
            {
                {"--json", "", "the same as --as json"},
                {"--as", "FORMAT", "text, json or pnet (default: text)"},
                {"--netns", "NAME", "only this namespace (\"\" for the host)"},
                {"--all", "", "text: include kernel-made objects"},
                {"--state-from", "FILE", "read a snapshot file instead of the kernel"},
                {"--stats", "", "print how long reading took, to stderr"},
            },
            0,
            0,
        },
        run_show,
    };
    return command;
}

}  // namespace podnetc::cli
