#include "compiler/plan/plan_diff.hpp"

#include <fmt/format.h>

#include "compiler/objects/object_keys.hpp"
#include "compiler/objects/ownership.hpp"
#include "compiler/steps/plan_describe.hpp"

namespace podnetc::plan {
namespace {

std::string or_none(const std::string& text) { return text.empty() ? "none" : text; }

template <class T>
std::string opt_text(const std::optional<T>& value) {
    return value ? value->str() : "none";
}

std::string nud_name(std::uint16_t state) {
    return state == kNudPermanent ? "permanent" : fmt::format("{:#x}", state);
}

}  // namespace

bool LinkDiff::any() const {
    return change.up || change.mtu || change.mac || change.master || change.group || change.proxy_arp ||
           change.forwarding;
}

bool same_kind_and_peer(const ir::Link& want, const live::Link& have) {
    if (have.kind != want.kind) return false;
    if (want.kind != kernel::kVeth) return true;
    return have.peer_netns == want.peer_netns && have.peer_name == want.peer_name;
}

std::string kind_and_peer_difference(const ir::Link& want, const live::Link& have) {
    if (have.kind != want.kind) {
        return fmt::format("kind {} -> {}", have.kind.empty() ? "device" : have.kind, want.kind);
    }
    const std::string have_peer =
        have.peer_name.empty() ? "none" : qualified(have.peer_netns == "?" ? "(unnamed)" : have.peer_netns, have.peer_name);
    return fmt::format("peer {} -> {}", have_peer, qualified(want.peer_netns, want.peer_name));
}

LinkDiff diff_link(const ir::Link& want, const live::Link& have, bool set_group) {
    LinkDiff d;
    d.change.netns = want.netns;
    d.change.name = want.name;
    if (want.up() != have.up()) {
        d.change.up = want.up();
        d.details.push_back(want.up() ? "down -> up" : "up -> down");
    }
    if (want.mtu != 0 && want.mtu != have.mtu) {
        d.change.mtu = want.mtu;
        d.details.push_back(fmt::format("mtu {} -> {}", have.mtu, want.mtu));
    }
    if (want.mac && want.mac != have.mac) {
        d.change.mac = want.mac;
        d.details.push_back("mac -> " + want.mac->str());  // the old one is usually kernel-chosen
    }
    if (want.master != have.master) {
        d.change.master = want.master;
        d.details.push_back(fmt::format("master {} -> {}", or_none(have.master), or_none(want.master)));
    }
    if (have.group != kOwnedLinkGroup) {
        d.change.group = kOwnedLinkGroup;
        if (!set_group) d.details.push_back(fmt::format("group {} -> {}", have.group, kOwnedLinkGroup));
    }
    if (want.proxy_arp && want.proxy_arp != have.proxy_arp) {
        d.change.proxy_arp = want.proxy_arp;
        d.details.push_back(fmt::format("proxy_arp {} -> {}", on_off(have.proxy_arp), on_off(*want.proxy_arp)));
    }
    if (want.forwarding && want.forwarding != have.forwarding) {
        d.change.forwarding = want.forwarding;
        d.details.push_back(fmt::format("forwarding {} -> {}", on_off(have.forwarding), on_off(*want.forwarding)));
    }
    return d;
}

std::string diff_proxy_delay(const ir::Link& want, const live::Link& have) {
    if (!want.proxy_delay_ms || want.proxy_delay_ms == have.proxy_delay_ms) return "";
    return fmt::format("proxy_delay {} -> {}", have.proxy_delay_ms ? fmt::format("{}", *have.proxy_delay_ms) : "?",
                       *want.proxy_delay_ms);
}

std::vector<std::string> diff_route(const kernel::Route& want, const live::Route& have, bool adopting) {
    std::vector<std::string> out;
    if (want.type != have.type) out.push_back(fmt::format("type {} -> {}", have.type, want.type));
    if (want.gateway != have.gateway) out.push_back(fmt::format("via {} -> {}", opt_text(have.gateway), opt_text(want.gateway)));
    if (want.dev != have.dev) out.push_back(fmt::format("dev {} -> {}", or_none(have.dev), or_none(want.dev)));
    if (want.scope != have.scope) out.push_back(fmt::format("scope {} -> {}", scope_name(have.scope), scope_name(want.scope)));
    const bool have_onlink = (have.flags & kOnlink) != 0;
    if (want.onlink() != have_onlink) out.push_back(fmt::format("onlink {} -> {}", on_off(have_onlink), on_off(want.onlink())));
    if (want.prefsrc != have.prefsrc) out.push_back(fmt::format("src {} -> {}", opt_text(have.prefsrc), opt_text(want.prefsrc)));
    if (!adopting && want.protocol != have.protocol) {
        out.push_back(fmt::format("proto {} -> {}", protocol_name(have.protocol), protocol_name(want.protocol)));
    }
    return out;
}

bool kernel_route_satisfies(const kernel::Route& want, const live::Route& have) {
    return have.protocol == kProtoKernel && have.type == want.type && have.gateway == want.gateway &&
           have.dev == want.dev && have.scope == want.scope && ((have.flags & kOnlink) != 0) == want.onlink() &&
           (!want.prefsrc || want.prefsrc == have.prefsrc);
}

std::vector<std::string> diff_neighbor(const kernel::Neighbor& want, const live::Neighbor& have, bool adopting) {
    std::vector<std::string> out;
    if (want.lladdr != have.lladdr) out.push_back(fmt::format("lladdr {} -> {}", opt_text(have.lladdr), opt_text(want.lladdr)));
    if (want.state != have.state) out.push_back(fmt::format("state {} -> {}", nud_name(have.state), nud_name(want.state)));
    if (!adopting && want.protocol != have.protocol) {
        out.push_back(fmt::format("proto {} -> {}", protocol_name(have.protocol), protocol_name(want.protocol)));
    }
    return out;
}

}  // namespace podnetc::plan
