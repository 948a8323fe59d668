// Hand-built live states for the tests of everything above the kernel (snapshot
// JSON, `show` text, `--as pnet` inference): the article's topologies as the
// reader reports them.
#pragma once

#include <string>

#include "compiler/live/live_state.hpp"
#include "compiler/objects/ownership.hpp"

namespace podnetc::fixtures {

constexpr std::uint32_t kUpFlags = 0x1 | 0x2 | 0x40 | 0x1000 | 0x10000;  // up broadcast running multicast lower_up

inline live::Link link(const std::string& netns, const std::string& name, const std::string& kind,
                       const char* mac = nullptr) {
    live::Link l;
    l.netns = netns;
    l.name = name;
    l.kind = kind;
    l.mtu = 1500;
    l.flags = kUpFlags;
    l.operstate = 6;
    if (mac != nullptr) l.mac = Mac::parse(mac);
    l.proxy_arp = false;
    l.forwarding = false;
    return l;
}

inline live::Link veth(const std::string& netns, const std::string& name, const std::string& peer_netns,
                       const std::string& peer_name, const char* mac = nullptr) {
    live::Link l = link(netns, name, "veth", mac);
    l.peer_netns = peer_netns;
    l.peer_name = peer_name;
    return l;
}

inline live::Address address(const std::string& netns, const std::string& dev, const char* prefix,
                             std::uint8_t protocol = 0) {
    live::Address a;
    a.netns = netns;
    a.dev = dev;
    a.local = *ip::Prefix::parse(prefix);
    a.flags = 0x80;  // permanent
    a.protocol = protocol;
    return a;
}

inline live::Route route(const std::string& netns, const char* dst, const std::string& dev,
                         std::optional<const char*> gateway = std::nullopt, std::uint8_t scope = 0,
                         std::uint8_t protocol = 3) {
    live::Route r;
    r.netns = netns;
    r.dst = *ip::Prefix::parse(dst);
    r.dev = dev;
    if (gateway) r.gateway = ip::Address::parse_v4(*gateway);
    r.scope = scope;
    r.protocol = protocol;
    return r;
}

inline live::Neighbor neighbor(const std::string& netns, const std::string& dev, const char* dst, const char* mac,
                               std::uint8_t protocol = 0) {
    live::Neighbor n;
    n.netns = netns;
    n.dev = dev;
    n.dst = *ip::Address::parse_v4(dst);
    n.lladdr = Mac::parse(mac);
    n.state = 0x80;
    n.protocol = protocol;
    return n;
}

// The article's bridge experiment (SUMMARY.md), done by hand: nothing is owned.
inline live::State article_bridge() {
    live::State s;
    s.namespaces = {{"", false, ""}, {"pod-1", false, ""}, {"pod-2", false, ""}};
    s.ip_forward = false;
    s.links.push_back(link("", "cbr0", "bridge", "02:00:00:00:00:01"));
    for (int i = 1; i <= 2; ++i) {
        const std::string pod = "pod-" + std::to_string(i);
        const std::string host = "veth" + std::to_string(i);
        live::Link h = veth("", host, pod, "eth0");
        h.master = "cbr0";
        h.bridge_port = live::BridgePort{};
        s.links.push_back(h);
        s.links.push_back(veth(pod, "eth0", "", host));
        s.addresses.push_back(address(pod, "eth0", i == 1 ? "10.10.1.10/32" : "10.10.1.11/32"));
        s.routes.push_back(route(pod, "0.0.0.0/0", "eth0", std::nullopt, 253));
    }
    return s;
}

// The article's routed experiment, done by hand: host veths with kernel-chosen MACs,
// proxy_arp on, the default proxy_delay, no ARP entry in the pods.
inline live::State article_route_by_hand() {
    live::State s;
    s.namespaces = {{"", false, ""}, {"pod-1", false, ""}, {"pod-2", false, ""}};
    s.ip_forward = true;
    for (int i = 1; i <= 2; ++i) {
        const std::string pod = "pod-" + std::to_string(i);
        const std::string host = "veth" + std::to_string(i);
        const char* address_text = i == 1 ? "10.10.1.10/32" : "10.10.1.11/32";
        live::Link h = veth("", host, pod, "eth0", i == 1 ? "76:95:29:9c:7d:26" : "3e:1e:85:73:de:78");
        h.proxy_arp = true;
        h.forwarding = true;
        h.proxy_delay_ms = 800;
        s.links.push_back(h);
        s.links.push_back(veth(pod, "eth0", "", host));
        s.addresses.push_back(address(pod, "eth0", address_text));
        s.routes.push_back(route("", address_text, host, std::nullopt, 253));
        s.routes.push_back(route(pod, "169.254.1.1/32", "eth0", std::nullopt, 253));
        s.routes.push_back(route(pod, "0.0.0.0/0", "eth0", "169.254.1.1"));
    }
    return s;
}

// Route mode exactly as podnetc builds it (docs/LANGUAGE.md), all owned.
inline live::State route_as_podnetc_builds() {
    live::State s;
    s.namespaces = {{"", false, ""}, {"pod-1", true, ""}, {"pod-2", true, ""}};
    s.ip_forward = false;
    for (int i = 1; i <= 2; ++i) {
        const std::string pod = "pod-" + std::to_string(i);
        const std::string host = "veth" + std::to_string(i);
        const char* address_text = i == 1 ? "10.10.1.10/32" : "10.10.1.11/32";
        live::Link h = veth("", host, pod, "eth0", "ee:ee:ee:ee:ee:ee");
        h.proxy_arp = true;
        h.forwarding = true;
        h.proxy_delay_ms = 0;
        h.group = kOwnedLinkGroup;
        s.links.push_back(h);
        live::Link p = veth(pod, "eth0", "", host);
        p.group = kOwnedLinkGroup;
        s.links.push_back(p);
        s.addresses.push_back(address(pod, "eth0", address_text, kOwnedProtocol));
        s.routes.push_back(route("", address_text, host, std::nullopt, 253, kOwnedProtocol));
        s.routes.push_back(route(pod, "169.254.1.1/32", "eth0", std::nullopt, 253, kOwnedProtocol));
        s.routes.push_back(route(pod, "0.0.0.0/0", "eth0", "169.254.1.1", 0, kOwnedProtocol));
        s.neighbors.push_back(neighbor(pod, "eth0", "169.254.1.1", "ee:ee:ee:ee:ee:ee", kOwnedProtocol));
    }
    return s;
}

}  // namespace podnetc::fixtures
