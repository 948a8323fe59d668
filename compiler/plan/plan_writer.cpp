#include "compiler/plan/plan_writer.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "compiler/objects/object_keys.hpp"
#include "compiler/objects/ownership.hpp"
#include "compiler/steps/plan_describe.hpp"
#include "compiler/plan/plan_restore.hpp"
#include "compiler/steps/plan_specs.hpp"

namespace podnetc::plan {
namespace {

// Restoring can have side effects of its own (re-adding a device's first address
// adds a prefix route; re-creating a namespace makes a `lo` that is up, with
// 127.0.0.1/8), so the inverse is checked on the model and completed: the next pass
// sets back `lo` as it was. Two extra passes always suffice.
constexpr int kRestorePasses = 3;

struct Foreign {
    std::string name;   // "link dummy0"
    std::string found;  // "found: dummy pod-3/dummy0, down, mtu 1500, group 0"
    bool removed = false;
};

std::string key_of_step_object(const Step& step) {
    return visit_object(
        [](const auto& o) -> std::string {
            using T = std::decay_t<decltype(o)>;
            if constexpr (std::is_same_v<T, NetnsSpec>) return record_key_netns(o.name);
            if constexpr (std::is_same_v<T, LinkCreate>) return record_key(LinkKey{o.end.netns, o.end.name});
            if constexpr (std::is_same_v<T, LinkChange>) return record_key(LinkKey{o.netns, o.name});
            if constexpr (std::is_same_v<T, LinkDelete>) return o.group ? "" : record_key(LinkKey{o.netns, o.name});
            if constexpr (std::is_same_v<T, NeighParms>) return record_key(LinkKey{o.netns, o.dev});
            if constexpr (std::is_same_v<T, kernel::Address>) return record_key(AddressKey{o.netns, o.dev, o.local});
            if constexpr (std::is_same_v<T, kernel::Route>) return record_key(RouteKey{o.netns, o.table, o.dst, o.metric});
            if constexpr (std::is_same_v<T, kernel::Neighbor>) return record_key(NeighborKey{o.netns, o.dev, o.dst});
            return "";
        },
        step);
}

// A link difference that an undo should have repaired: not one in a value that was
// never known (the kernel default of a link this plan creates, a setting the live
// state did not report), nor in what the kernel alone decides about `lo`.
bool lost_in_undo(const Change<live::Link>& c) {
    if (!c.before || !c.after) return true;
    live::Link before = *c.before;
    const live::Link& after = *c.after;
    if (left_to_kernel(before)) return before.up() != after.up() || before.mtu != after.mtu;
    if (!before.mac) before.mac = after.mac;
    if (!before.proxy_arp) before.proxy_arp = after.proxy_arp;
    if (!before.forwarding) before.forwarding = after.forwarding;
    if (!before.proxy_delay_ms) before.proxy_delay_ms = after.proxy_delay_ms;
    return !same(before, after);
}

// Deleting an IPv4 address that the model does not predict to be the device's last
// may make it the last all the same, when an earlier operation of the plan (adding
// the new address) is refused: the kernel then drops every route through the device
// and its ARP entries, permanent ones too (KERNEL-FACTS.md 7). The undo of such a
// deletion puts them back as well (its steps after the address's own), as replace
// requests: where they are still there, nothing changes.
std::vector<Step> last_address_guards(const Step& step, const KernelModel& after_step) {
    std::vector<Step> guards;
    if (step.kind() != StepKind::delete_address) return guards;
    const auto& address = object_of<kernel::Address>(step);
    if (!address.local.addr.is_v4()) return guards;
    std::vector<const live::Route*> routes = after_step.routes_via(address.netns, address.dev);
    // Link-scope routes first: a gateway route needs the route to its gateway.
    std::stable_sort(routes.begin(), routes.end(),
                     [](const live::Route* a, const live::Route* b) { return a->scope > b->scope; });
    for (const live::Route* r : routes) {
        if (!left_to_kernel(*r)) guards.push_back(ReplaceRoute{request(*r)});
    }
    for (const live::Neighbor* n : after_step.neighbors_on(address.netns, address.dev)) {
        guards.push_back(ReplaceNeighbor{request(*n)});
    }
    return guards;
}

}  // namespace

std::string target_key(const Step& step) { return key_of_step_object(step); }

PlanWriter::PlanWriter(const live::State& live, const std::set<std::string>& declared)
    : model_(live), declared_(declared), record_(live.last_applied) {}

PlanWriter::PlanWriter(KernelModel initial, const std::set<std::string>& declared, const AppliedRecord& record)
    : model_(std::move(initial)), declared_(declared), record_(record) {}

std::string PlanWriter::cause_of(const std::string& record_key) const {
    const auto it = causes_.find(record_key);
    return it == causes_.end() ? "" : it->second;
}

std::vector<Removed> PlanWriter::emit(Step step, OpInfo info) {
    const KernelModel::Mark before = model_.mark();
    model_.apply(step);
    const KernelModel::Mark after = model_.mark();
    std::vector<Step> guards = last_address_guards(step, model_);
    std::vector<Removed> removed_declared = inspect(step, info, model_.changes_since(before));
    Op op;
    std::string not_restored;
    op.inverse = inverse_since(before, not_restored);
    for (Step& guard : guards) op.inverse.push_back(std::move(guard));
    model_.rollback(after);
    model_.commit();
    op.step = std::move(step);
    op.reason = info.reason;
    op.detail = std::move(info.detail);
    if (!not_restored.empty()) {
        op.detail += (op.detail.empty() ? "" : "; ") + ("its undo cannot restore " + not_restored);
    }
    op.pod = std::move(info.pod);
    op.source = info.source;
    ops_.push_back(std::move(op));
    return removed_declared;
}

std::vector<Step> PlanWriter::inverse_since(const KernelModel::Mark& before, std::string& not_restored) {
    std::vector<Step> steps;
    Changes residual = without_kernel_made(model_.changes_since(before));
    for (int pass = 0; pass < kRestorePasses && !residual.empty(); ++pass) {
        std::vector<Step> more = restore_steps(residual);
        if (more.empty()) break;
        for (Step& s : more) {
            model_.apply(s);
            steps.push_back(std::move(s));
        }
        residual = without_kernel_made(model_.changes_since(before));
    }
    // What no step can bring back: a veth end in an unnamed namespace, a kind podnetc
    // cannot create, a value the live state did not know.
    std::vector<std::string> names;
    for (const auto& c : residual.namespaces) names.push_back("namespace " + (c.before ? c.before : c.after)->name);
    for (const auto& c : residual.links) {
        const live::Link& l = c.before ? *c.before : *c.after;
        if (lost_in_undo(c)) names.push_back("link " + qualified(l.netns, l.name));
    }
    for (const auto& c : residual.addresses) names.push_back("address " + describe(request(c.before ? *c.before : *c.after)));
    for (const auto& c : residual.routes) names.push_back("route " + describe(request(c.before ? *c.before : *c.after)));
    for (const auto& c : residual.neighbors) names.push_back("neighbor " + describe(request(c.before ? *c.before : *c.after)));
    not_restored = fmt::format("{}", fmt::join(names, ", "));
    return steps;
}

// Side effects: everything the step removed or changed besides its own object.
std::vector<Removed> PlanWriter::inspect(const Step& step, const OpInfo& info, const Changes& changes) {
    const std::string target = target_key(step);
    std::vector<Removed> removed_declared;
    std::vector<Foreign> foreign;
    const std::string cause = describe_action(step);

    // A veth end without the marker still belongs to podnetc when its peer has it.
    std::map<LinkKey, const live::Link*> links_before;
    for (const auto& c : changes.links) {
        if (c.before) links_before.emplace(key_of(*c.before), &*c.before);
    }
    const auto link_owned = [&](const live::Link& l) {
        if (is_owned(l)) return true;
        const auto it = links_before.find(LinkKey{l.peer_netns, l.peer_name});
        if (it != links_before.end()) return is_owned(*it->second);
        const live::Link* peer = model_.peer_of(l);
        return peer != nullptr && is_owned(*peer);
    };

    const auto side_effect = [&](const std::string& key, bool removed, bool owned, std::string name,
                                 std::string found, std::string what) {
        if (key == target) return;
        if (removed) {
            causes_[key] = cause;
            if (declared_.count(key) != 0) removed_declared.push_back(Removed{key, std::move(what)});
        }
        if (!owned) foreign.push_back(Foreign{std::move(name), std::move(found), removed});
    };
    for (const auto& c : changes.namespaces) {
        if (!c.before) continue;
        side_effect(record_key_netns(c.before->name), !c.after, c.before->owned, "namespace " + c.before->name,
                    "namespace " + c.before->name, "namespace " + c.before->name);
    }
    for (const auto& c : changes.links) {
        if (!c.before || left_to_kernel(*c.before)) continue;
        // A namespace deletion also removes the veth ends of other namespaces.
        side_effect(record_key(key_of(*c.before)), !c.after, link_owned(*c.before), "link " + c.before->name,
                    describe_found(*c.before), "link " + qualified(c.before->netns, c.before->name));
    }
    for (const auto& c : changes.addresses) {
        if (!c.before || left_to_kernel(*c.before)) continue;
        side_effect(record_key(key_of(*c.before)), !c.after, ours(*c.before, record_),
                    fmt::format("address {} on {}", c.before->local.str(), c.before->dev), describe_found(*c.before),
                    "address " + describe(request(*c.before)));
    }
    for (const auto& c : changes.routes) {
        if (!c.before || left_to_kernel(*c.before)) continue;
        side_effect(record_key(key_of(*c.before)), !c.after, ours(*c.before, record_),
                    "route " + describe(request(*c.before)), describe_found(*c.before),
                    "route " + describe(request(*c.before)));
    }
    for (const auto& c : changes.neighbors) {
        if (!c.before) continue;
        side_effect(record_key(key_of(*c.before)), !c.after, ours(*c.before, record_),
                    fmt::format("neighbor {} on {}", c.before->dst.str(), c.before->dev), describe_found(*c.before),
                    "neighbor " + describe(request(*c.before)));
    }

    if (!foreign.empty()) {
        Conflict conflict;
        conflict.source = info.source;
        const bool removes = foreign.front().removed;
        if (step.kind() == StepKind::delete_netns) {
            const std::string& name = plan::object_of<NetnsSpec>(step).name;
            conflict.message = foreign.size() == 1
                                   ? fmt::format("namespace {} holds foreign {}; remove it or keep the pod", name,
                                                 foreign.front().name)
                                   : fmt::format("namespace {} holds {} objects podnetc did not create; remove "
                                                 "them or keep the pod",
                                                 name, foreign.size());
        } else {
            conflict.message =
                foreign.size() == 1
                    ? fmt::format("cannot {}: it would also {} foreign {}", cause, removes ? "remove" : "change",
                                  foreign.front().name)
                    : fmt::format("cannot {}: it would also remove or change {} objects podnetc did not create",
                                  cause, foreign.size());
        }
        for (const auto& f : foreign) conflict.notes.push_back("found: " + f.found);
        conflict.notes.push_back("podnetc never changes or deletes what it did not create");
        conflicts_.push_back(std::move(conflict));
    }
    return removed_declared;
}

}  // namespace podnetc::plan
