#include "runtime/netlink/plan_netlink_text.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <span>
#include <vector>

#include <fmt/format.h>

#include "runtime/netlink/netlink_encode.hpp"
#include "runtime/netlink/netlink_text.hpp"

namespace podnetc::rt {
namespace {

using plan::StepKind;

std::string_view shown(std::string_view netns) { return netns.empty() ? std::string_view{"host"} : netns; }

char sign_of(StepKind kind) {
    switch (kind) {
    case StepKind::create_netns:
    case StepKind::register_netns:
    case StepKind::create_link:
    case StepKind::add_address:
    case StepKind::add_route:
    case StepKind::add_neighbor:
        return '+';
    case StepKind::delete_netns:
    case StepKind::unregister_netns:
    case StepKind::delete_link:
    case StepKind::delete_address:
    case StepKind::delete_route:
    case StepKind::delete_neighbor:
        return '-';
    default:
        return '~';
    }
}

std::string_view reason_text(plan::Reason reason) {
    switch (reason) {
    case plan::Reason::missing: return "missing";
    case plan::Reason::differs: return "differs";
    case plan::Reason::undeclared: return "no longer declared";
    case plan::Reason::drift: return "drift";
    case plan::Reason::adopt: return "adopt";
    }
    return "";
}

std::string destination(const ip::Prefix& dst) { return dst.len == 0 ? std::string{"default"} : dst.str(); }

// What a step is about, e.g. "link veth1 in host (veth, peer eth0 in pod-1)".
struct Subject {
    std::string operator()(const plan::NetnsSpec& n) const { return fmt::format("namespace {}", n.name); }
    std::string operator()(const plan::LinkCreate& c) const {
        std::string what = fmt::format("link {} in {} ({}", c.end.name, shown(c.end.netns), c.kind);
        if (c.peer) what += fmt::format(", peer {} in {}", c.peer->name, shown(c.peer->netns));
        if (!c.master.empty()) what += fmt::format(", port of {}", c.master);
        return what + ")";
    }
    std::string operator()(const plan::LinkChange& c) const {
        return fmt::format("link {} in {}", c.name, shown(c.netns));
    }
    std::string operator()(const plan::LinkDelete& d) const {
        if (d.group) return fmt::format("links of group {} in {}", *d.group, shown(d.netns));
        return fmt::format("link {} in {}", d.name, shown(d.netns));
    }
    std::string operator()(const plan::NeighParms& p) const {
        return fmt::format("arp parameters of {} in {}", p.dev, shown(p.netns));
    }
    std::string operator()(const kernel::Address& a) const {
        return fmt::format("address {} on {} in {}", a.local.str(), a.dev, shown(a.netns));
    }
    std::string operator()(const kernel::Route& r) const {
        std::string what = fmt::format("route {}", destination(r.dst));
        if (r.gateway) what += fmt::format(" via {}", r.gateway->str());
        if (!r.dev.empty()) what += fmt::format(" dev {}", r.dev);
        if (r.table != 254) what += fmt::format(" table {}", r.table);
        return what + fmt::format(" in {}", shown(r.netns));
    }
    std::string operator()(const kernel::Neighbor& n) const {
        return fmt::format("neighbour {} on {} in {}", n.dst.str(), n.dev, shown(n.netns));
    }
};

std::string namespace_comment(StepKind kind, const plan::NetnsSpec& ns) {
    const std::string& name = ns.name;
    switch (kind) {
    case StepKind::create_netns:
        return fmt::format("# create namespace {0} (unshare + bind mount /run/netns/{0}; registry entry{1})", name,
                           ns.lo_up ? "; lo up: RTM_SETLINK index 1, IFF_UP" : "; lo left down");
    case StepKind::delete_netns:
        return fmt::format("# delete namespace {0} (registry entry; unmount and remove /run/netns/{0}; "
                           "everything inside goes with it)",
                           name);
    case StepKind::register_netns:
        return fmt::format("# register namespace {} (registry entry only)", name);
    default:
        return fmt::format("# unregister namespace {} (registry entry only)", name);
    }
}

// Every namespace a plan or the live state names, for the stand-in descriptors.
std::vector<std::string> namespaces_of(const plan::Plan& plan, const live::State& live) {
    std::set<std::string> names{""};
    for (const live::Netns& ns : live.namespaces) names.insert(ns.name);
    for (const plan::Op& op : plan.ops) {
        names.insert(op.step.netns());
        if (const auto* c = plan::object_if<plan::LinkCreate>(op.step); c != nullptr && c->peer) {
            names.insert(c->peer->netns);
        }
    }
    return {names.begin(), names.end()};
}

}  // namespace

std::string plan_as_netlink_text(const plan::Plan& plan, const live::State& live, const SourceSet* sources) {
    IndexMap indexes(live);
    const NetnsFdMap fds = stand_in_netns_fds(namespaces_of(plan, live));
    alignas(8) std::array<std::byte, 8192> buffer{};
    nl::RequestBatch batch(buffer);

    std::size_t requests = 0;
    std::string body;
    for (const plan::Op& op : plan.ops) {
        const plan::Step& step = op.step;
        std::string header = fmt::format("# {} {}: {}", sign_of(step.kind()), plan::visit_object(Subject{}, step),
                                         reason_text(op.reason));
        if (!op.detail.empty()) header += fmt::format(", {}", op.detail);
        if (sources != nullptr && op.source.known()) header += fmt::format(" ({})", sources->location(op.source));
        body += fmt::format("\n{}\n", header);

        batch.clear();
        const EncodeResult result = encode(step, indexes, fds, batch);
        if (result.status == EncodeStatus::not_netlink) {
            const auto* ns = plan::object_if<plan::NetnsSpec>(step);
            body += namespace_comment(step.kind(), ns != nullptr ? *ns : plan::NetnsSpec{step.netns()}) + "\n";
        } else if (!result.ok()) {
            body += fmt::format("# cannot encode: {}\n", result.error);
        } else {
            ++requests;
            body += messages_text(batch.bytes(0, 1), TextContext{step.netns(), &indexes, &fds});
        }
    }
    std::string text = fmt::format(
        "# podnetc plan --emit netlink: {} netlink requests for {} operations.\n"
        "# Each request is sent on a socket in the namespace its comment names, with\n"
        "# NLM_F_REQUEST|NLM_F_ACK (not shown); new links get the ifindex shown (pinned).\n",
        requests, plan.ops.size());
    if (plan.ops.empty()) text += "\n# nothing to do\n";
    return text + body;
}

}  // namespace podnetc::rt
