#include "compiler/plan/deletion_budget.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "compiler/base/text_format.hpp"

namespace podnetc::plan {

std::optional<DeletionLimit> parse_deletion_limit(std::string_view text, std::string& error) {
    DeletionLimit limit{0, false};
    if (!text.empty() && text.back() == '%') {
        limit.percent = true;
        text.remove_suffix(1);
    }
    const char* end = text.data() + text.size();
    const auto [stop, failure] = std::from_chars(text.data(), end, limit.value);
    if (text.empty() || failure != std::errc{} || stop != end || (limit.percent && limit.value > 100)) {
        error = fmt::format("--max-delete wants a number of pods (e.g. 3) or a percentage of the owned pods "
                            "(e.g. 25%), not '{}{}'",
                            text, limit.percent ? "%" : "");
        return std::nullopt;
    }
    return limit;
}

std::size_t allowed_deletions(const DeletionLimit& limit, std::size_t owned) {
    if (!limit.percent) return limit.value;
    if (limit.value == 0) return 0;
    return std::max<std::size_t>(1, owned * limit.value / 100);
}

std::vector<std::string> pods_removed(const Plan& plan) {
    std::vector<std::string> pods;
    for (const Op& op : plan.ops) {
        if (op.reason != Reason::undeclared || op.pod.empty()) continue;
        if (std::find(pods.begin(), pods.end(), op.pod) == pods.end()) pods.push_back(op.pod);
    }
    return pods;
}

std::vector<std::string> pods_deleted(const Plan& plan) {
    std::vector<std::string> pods;
    for (const Op& op : plan.ops) {
        if (op.reason != Reason::undeclared || op.step.kind() != StepKind::delete_netns) continue;
        pods.push_back(op.pod.empty() ? op.step.netns() : op.pod);
    }
    return pods;
}

std::optional<BudgetExceeded> check_deletion_budget(const Plan& plan, std::size_t owned,
                                                    const DeletionLimit& limit) {
    BudgetExceeded exceeded{pods_deleted(plan), owned, allowed_deletions(limit, owned)};
    if (exceeded.pods.size() <= exceeded.allowed) return std::nullopt;
    return exceeded;
}

std::string describe(const BudgetExceeded& exceeded, const DeletionLimit& limit) {
    return fmt::format("deletes {} of {} owned pods ({}), more than --max-delete {}{} allows ({})",
                       exceeded.pods.size(), exceeded.owned, first_names(exceeded.pods, 5), limit.value,
                       limit.percent ? "%" : "", exceeded.allowed);
}

std::vector<std::string> pods_emptied(const ir::NodeIr& desired, const Plan& plan) {
    if (!desired.pods.empty()) return {};
    return pods_removed(plan);
}

std::size_t owned_pods(const live::State& state) {
    return static_cast<std::size_t>(std::count_if(state.namespaces.begin(), state.namespaces.end(),
                                                  [](const live::Netns& netns) { return is_owned(netns); }));
}

}  // namespace podnetc::plan
