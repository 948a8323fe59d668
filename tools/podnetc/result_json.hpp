// The document `apply`, `destroy`, `recover` and `check` print with --json
// (docs/JSON.md, "Command result", format podnetc-result/1): what the command did,
// operation by operation, how it ended, and every error and warning with its source.
// Pure: the command fills a CommandResult, this writes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/base/diagnostics.hpp"
#include "compiler/base/source.hpp"
#include "compiler/steps/plan.hpp"
#include "tools/podnetc/timings.hpp"

namespace podnetc::cli {

// What became of one operation of the plan.
enum class OpFate {
    planned,  // the command stopped before the transaction (refused, conflicts)
    applied,  // acknowledged and committed
    undone,   // acknowledged, then rolled back
    failed,   // refused by the kernel (or unknown: the transport failed)
    not_sent, // never handed to the kernel
};
std::string_view op_fate_name(OpFate fate);

struct Verification {
    std::vector<std::string> problems;    // empty: verified
    std::optional<std::size_t> probes;    // apply --verify: connectivity probes answered
};

struct CommandResult {
    explicit CommandResult(std::string name) : command(std::move(name)) {}

    std::string command;  // "apply"
    std::string node;
    std::string outcome;  // docs/JSON.md: applied, no_changes, refused, rolled_back, …
    int exit_status = 0;
    std::optional<plan::Plan> plan;
    std::vector<OpFate> fates;  // one per operation of `plan`; empty: all `planned`
    bool rolled_back = false;
    std::optional<Verification> verification;
    std::optional<std::uint64_t> milliseconds;  // how long it took (null in goldens: check)
    std::optional<Timings> timings;             // --timings: where the time went
    std::vector<std::string> files;  // check: the files checked
};

std::string result_json(const CommandResult& result, const SourceSet& sources, const std::vector<Diagnostic>& errors,
                        const std::vector<Diagnostic>& warnings);

}  // namespace podnetc::cli
