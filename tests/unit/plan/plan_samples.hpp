// Hand-built plans, as the planner makes them from an empty node: the steps of
// examples/route.pnet (the article's routed experiment) with their inverses. They
// let the encoder be tested (and run against the kernel by tests/kernel_probe)
// without the planner.
#pragma once

#include <string>
#include <vector>

#include "compiler/objects/ownership.hpp"
#include "compiler/steps/plan.hpp"

namespace podnetc::samples {

inline plan::Op op(plan::Step forward, std::vector<plan::Step> inverse, std::string pod, std::string detail = {}) {
    plan::Op o;
    o.step = std::move(forward);
    o.inverse = std::move(inverse);
    // A change of a link the plan creates reads as a difference from its defaults.
    o.reason = detail.empty() ? plan::Reason::missing : plan::Reason::differs;
    o.detail = std::move(detail);
    o.pod = std::move(pod);
    return o;
}

struct RoutedPod {
    std::string name;  // also its namespace
    std::string address;
    std::string host_veth;
};

// The ops that build a routed pod from nothing: the host side (veth pair with the
// pod end placed in the pod, devconf, proxy_delay, /32 route), then the pod side
// (eth0 up, address, permanent neighbour for the gateway, gateway route, default).
inline std::vector<plan::Op> routed_pod_ops(const RoutedPod& pod) {
    const ip::Prefix address = ip::Prefix::parse(pod.address).value();
    const ip::Address gateway = ip::Address::parse_v4("169.254.1.1").value();
    const Mac host_mac = Mac::parse("ee:ee:ee:ee:ee:ee").value();
    std::vector<plan::Op> ops;

    plan::LinkCreate pair;
    pair.kind = kernel::kVeth;
    pair.end = plan::LinkEnd{"", pod.host_veth, host_mac, 0, kOwnedLinkGroup};
    pair.peer = plan::LinkEnd{pod.name, "eth0", std::nullopt, 0, kOwnedLinkGroup};
    pair.up = true;
    ops.push_back(op(plan::CreateLink{pair},
                     {plan::DeleteLink{plan::LinkDelete{"", pod.host_veth, std::nullopt}}}, pod.name));

    plan::LinkChange devconf;
    devconf.netns = "";
    devconf.name = pod.host_veth;
    devconf.proxy_arp = true;
    devconf.forwarding = true;
    plan::LinkChange devconf_back = devconf;
    devconf_back.proxy_arp = false;
    devconf_back.forwarding = false;
    ops.push_back(op(plan::ChangeLink{devconf}, {plan::ChangeLink{devconf_back}}, pod.name,
                     "proxy_arp off -> on, forwarding off -> on"));

    ops.push_back(op(plan::SetNeighParms{plan::NeighParms{"", pod.host_veth, 0}},
                     {plan::SetNeighParms{plan::NeighParms{"", pod.host_veth, 80}}}, pod.name,
                     "proxy_delay 80 -> 0"));

    kernel::Route host_route;
    host_route.netns = "";
    host_route.dst = address;
    host_route.dev = pod.host_veth;
    host_route.scope = 253;  // link
    host_route.protocol = kOwnedProtocol;
    ops.push_back(op(plan::AddRoute{host_route}, {plan::DeleteRoute{host_route}}, pod.name));

    plan::LinkChange up;
    up.netns = pod.name;
    up.name = "eth0";
    up.up = true;
    plan::LinkChange down = up;
    down.up = false;
    ops.push_back(op(plan::ChangeLink{up}, {plan::ChangeLink{down}}, pod.name,
                     "down -> up"));

    kernel::Address addr{.netns = pod.name, .dev = "eth0", .local = address, .peer = std::nullopt, .scope = 0, .protocol = kOwnedProtocol};
    ops.push_back(op(plan::AddAddress{addr}, {plan::DeleteAddress{addr}}, pod.name));

    kernel::Neighbor neighbor{.netns = pod.name, .dev = "eth0", .dst = gateway, .lladdr = host_mac, .state = 0x80, .protocol = kOwnedProtocol};
    ops.push_back(
        op(plan::AddNeighbor{neighbor}, {plan::DeleteNeighbor{neighbor}}, pod.name));

    kernel::Route to_gateway;
    to_gateway.netns = pod.name;
    to_gateway.dst = ip::Prefix{gateway, 32};
    to_gateway.dev = "eth0";
    to_gateway.scope = 253;
    to_gateway.protocol = kOwnedProtocol;
    ops.push_back(
        op(plan::AddRoute{to_gateway}, {plan::DeleteRoute{to_gateway}}, pod.name));

    kernel::Route default_route;
    default_route.netns = pod.name;
    default_route.dst = ip::Prefix{ip::Address::v4(0), 0};
    default_route.gateway = gateway;
    default_route.dev = "eth0";
    default_route.protocol = kOwnedProtocol;
    ops.push_back(op(plan::AddRoute{default_route}, {plan::DeleteRoute{default_route}},
                     pod.name));
    return ops;
}

// examples/route.pnet planned against a node that has nothing of it yet.
inline plan::Plan route_plan(const std::vector<RoutedPod>& pods = {{"pod-1", "10.10.1.10/32", "veth1"},
                                                                    {"pod-2", "10.10.1.11/32", "veth2"}}) {
    plan::Plan p;
    for (const RoutedPod& pod : pods) {
        p.ops.push_back(op(plan::CreateNetns{plan::NetnsSpec{pod.name}},
                           {plan::DeleteNetns{plan::NetnsSpec{pod.name}}}, pod.name));
    }
    for (const RoutedPod& pod : pods) {
        for (plan::Op& o : routed_pod_ops(pod)) p.ops.push_back(std::move(o));
    }
    return p;
}

}  // namespace podnetc::samples
