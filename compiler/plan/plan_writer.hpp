// Appends operations to a plan while keeping the predicted kernel state: every
// step is applied to the kernel model, its inverse is computed from what it
// changed (and checked by applying it to the model: restoring can have side
// effects of its own, which a further pass repairs), and its side effects are
// inspected. A side effect on an object podnetc does not own is a conflict; a side
// effect on a declared object is reported to the caller, which may move the step.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/model/kernel_model.hpp"
#include "compiler/plan/recorded_ownership.hpp"
#include "compiler/steps/plan.hpp"

namespace podnetc::plan {

// A declared object that a step removed as a side effect.
struct Removed {
    std::string key;   // record key
    std::string what;  // "address 10.10.1.20/24 dev pod-1/eth0"
};

struct OpInfo {
    Reason reason = Reason::missing;
    std::string detail;
    std::string pod;
    SourceRange source;
};

class PlanWriter {
public:
    // `declared`: record keys of the declared objects (may be empty).
    PlanWriter(const live::State& live, const std::set<std::string>& declared);
    // Starts from a model of the live state built before (cheaper than from `live`);
    // `record`: the live state's last_applied (recorded_ownership.hpp).
    PlanWriter(KernelModel initial, const std::set<std::string>& declared, const AppliedRecord& record);

    const KernelModel& model() const { return model_; }

    // Appends the op; returns the declared objects the step removed as a side effect.
    std::vector<Removed> emit(Step step, OpInfo info);

    // The step whose side effect removed an object (by record key), or "".
    std::string cause_of(const std::string& record_key) const;

    std::vector<Op> take_ops() { return std::move(ops_); }
    std::vector<Conflict> take_conflicts() { return std::move(conflicts_); }

private:
    // The inverse, and what it cannot put back exactly ("" when nothing).
    std::vector<Step> inverse_since(const KernelModel::Mark& before, std::string& not_restored);
    std::vector<Removed> inspect(const Step& step, const OpInfo& info, const Changes& changes);

    KernelModel model_;
    const std::set<std::string>& declared_;
    const AppliedRecord& record_;
    std::map<std::string, std::string> causes_;
    std::vector<Op> ops_;
    std::vector<Conflict> conflicts_;
};

// The record key of the object a step addresses ("" for a group delete).
std::string target_key(const Step& step);

}  // namespace podnetc::plan
