// Where a command's output goes (README, "Output"): results for people on stdout,
// every diagnostic, warning and progress message on stderr. --quiet keeps only
// errors; --json replaces the stdout text by one JSON document (result_json.hpp),
// which is why every error and warning is also kept here, as a Diagnostic.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/diagnostics.hpp"
#include "compiler/base/source.hpp"
#include "tools/podnetc/cli_args.hpp"
#include "tools/podnetc/result_json.hpp"

namespace podnetc::cli {

// The options every command that reports through a Reporter declares.
inline constexpr OptionSpec kJsonOption{"--json", "", "print one JSON document saying what was done (docs/JSON.md, \"Command result\")"};
inline constexpr OptionSpec kQuietOption{"--quiet", "", "print nothing but errors"};

class Reporter {
public:
    Reporter(bool json, bool quiet) : json_(json), quiet_(quiet) {}
    // --json and --quiet of a command that declares them.
    explicit Reporter(const Args& args) : Reporter(args.flag("--json"), args.flag("--quiet")) {}

    bool json() const { return json_; }
    bool quiet() const { return quiet_; }

    // Text for people on stdout; nothing with --json or --quiet.
    void result(std::string_view text) const;
    // "podnetc: TEXT" on stderr (progress, waiting for the lock); nothing with --quiet.
    void info(std::string_view text) const;
    // "podnetc: warning: MESSAGE" on stderr unless --quiet; kept for the JSON document.
    void warning(std::string message);
    // "podnetc: error: MESSAGE" on stderr, always; kept for the JSON document.
    void error(std::string message);
    // Keeps an error or warning that a block (below) has already shown.
    void record(Diagnostic diagnostic);
    // Compiler diagnostics (sorted by location), rendered on stderr (with --quiet:
    // only when there are errors) and kept.
    void diagnostics(const SourceSet& sources, Diagnostics& diagnostics);
    // A block already rendered for stderr (a failure and its rollback); `is_error`
    // blocks are printed with --quiet too.
    void block(std::string_view text, bool is_error) const;

    // Ends a command: with --json prints its document (result_json.hpp) on stdout.
    // Returns `exit_status`.
    int finish(CommandResult& result, const SourceSet& sources, int exit_status) const;

    const std::vector<Diagnostic>& errors() const { return errors_; }
    const std::vector<Diagnostic>& warnings() const { return warnings_; }

private:
    bool json_ = false;
    bool quiet_ = false;
    std::vector<Diagnostic> errors_;
    std::vector<Diagnostic> warnings_;
};

// Runs a command's `body` with a Reporter of its --json/--quiet, a result named
// `command` and one SourceSet, then finishes (the JSON document). Returns the exit status.
using ReportedBody = int (*)(const Args& args, Reporter& reporter, CommandResult& result, SourceSet& sources);
int run_reported(std::string command, const Args& args, ReportedBody body);

}  // namespace podnetc::cli
