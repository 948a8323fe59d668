#pragma once
// The deletion budget: how many owned pods one plan may delete before it is refused
// as a whole. A file that suddenly drops most pods is more often a bad merge, a wrong
// branch or a truncated file than a wish; `--max-delete` (or `destroy`) says it is one.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/live/live_state.hpp"
#include "compiler/steps/plan.hpp"

namespace podnetc::plan {

// `--max-delete N` (pods) or `--max-delete P%` (of the owned pods).
struct DeletionLimit {
    std::size_t value = 25;
    bool percent = true;
    friend bool operator==(const DeletionLimit&, const DeletionLimit&) = default;
};

// The default: a quarter of the owned pods (at least one, see allowed_deletions).
inline constexpr DeletionLimit default_deletion_limit{25, true};

// nullopt with `error` set when `text` is neither N nor P% (P at most 100).
std::optional<DeletionLimit> parse_deletion_limit(std::string_view text, std::string& error);

// How many of `owned` pods the limit lets one plan delete. A percentage is rounded
// down but allows at least one pod, so that a node with few pods can still lose one.
std::size_t allowed_deletions(const DeletionLimit& limit, std::size_t owned);

// The pods any of whose owned objects a plan removes because the file no longer
// declares them (an old address of a kept pod counts), in plan order.
std::vector<std::string> pods_removed(const Plan& plan);

// When `desired` declares no pods: the owned pods the plan would remove anyway (a
// wrong path or a truncated file, far more often than a wish), in plan order; empty
// otherwise. `apply` refuses them without --allow-empty, the agent always.
std::vector<std::string> pods_emptied(const ir::NodeIr& desired, const Plan& plan);

// The pods podnetc owns on the node: the namespaces in its registry.
std::size_t owned_pods(const live::State& state);

// The owned pods whose namespace a plan deletes, in plan order: what the budget counts.
std::vector<std::string> pods_deleted(const Plan& plan);

struct BudgetExceeded {
    std::vector<std::string> pods;  // every pod whose namespace the plan would delete
    std::size_t owned = 0;
    std::size_t allowed = 0;
};

// The refusal when `plan` deletes more of the `owned` pods than `limit` allows.
std::optional<BudgetExceeded> check_deletion_budget(const Plan& plan, std::size_t owned,
                                                    const DeletionLimit& limit);

// "deletes 8 of 10 owned pods (pod-1, pod-2, …), more than --max-delete 25% allows (2)".
std::string describe(const BudgetExceeded& exceeded, const DeletionLimit& limit);

}  // namespace podnetc::plan
