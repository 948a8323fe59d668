// The live-state snapshot: round trip, canonical output, hand-editable input with
// defaults, and error messages that name the offending field.
#include <catch2/catch.hpp>

#include <algorithm>

#include "compiler/live/live_state_json.hpp"
#include "compiler/live/live_state_sort.hpp"
#include "tests/unit/live/live_fixtures.hpp"

using namespace podnetc;
using namespace podnetc::fixtures;

namespace {

// Every field set at least once, with values off their defaults.
live::State rich_state() {
    live::State s = route_as_podnetc_builds();
    live::State bridge = article_bridge();
    for (auto& l : bridge.links) {
        if (l.netns != "") l.netns = "b-" + l.netns;
        if (!l.peer_netns.empty()) l.peer_netns = "b-" + l.peer_netns;
        l.ifindex = 40 + static_cast<int>(l.name.size());
        if (l.name == "veth1") {
            l.name = "bveth1";
            l.bridge_port = live::BridgePort{1, true, false, false, true};
        }
        if (l.name == "veth2") l.name = "bveth2";
        if (l.peer_name == "veth1") l.peer_name = "bveth1";
        if (l.peer_name == "veth2") l.peer_name = "bveth2";
        s.links.push_back(l);
    }
    s.namespaces.push_back({"b-pod-1", false, ""});
    s.namespaces.push_back({"b-pod-2", false, "open /run/netns/b-pod-2: No such file or directory"});
    live::Link odd = link("", "lo", "");
    odd.flags = 0x1 | 0x8 | 0x80000000u;  // an unnamed bit
    odd.mtu = 65536;
    odd.operstate = 0;
    odd.alias = "loopback \"quoted\"";
    odd.group = 7;
    odd.mac = Mac{};
    s.links.push_back(odd);
    live::Address peer = address("", "cbr0", "192.0.2.1/32", 1);
    peer.peer = ip::Address::parse_v4("192.0.2.2");
    peer.scope = 253;
    peer.flags = 0x80 | 0x200;
    peer.ifindex = 3;
    s.addresses.push_back(peer);
    live::Route multipath = route("", "198.51.100.0/24", "", std::nullopt, 0, 42);
    multipath.table = 100;
    multipath.metric = 20;
    multipath.flags = 0x4 | 0x10;
    multipath.prefsrc = ip::Address::parse_v4("192.0.2.1");
    multipath.nexthops = {live::Nexthop{ip::Address::parse_v4("192.0.2.2"), "cbr0", 0x4, 1},
                          live::Nexthop{std::nullopt, "lo", 0, 3}};
    s.routes.push_back(multipath);
    live::Route blackhole = route("", "203.0.113.0/24", "", std::nullopt, 0, 4);
    blackhole.type = 6;
    blackhole.table = 255;
    s.routes.push_back(blackhole);
    live::Neighbor stale = neighbor("", "cbr0", "192.0.2.9", "02:00:00:00:00:09", 250);
    stale.state = 0x04;
    stale.flags = 0x80;
    s.neighbors.push_back(stale);
    return s;
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("snapshot: round trip keeps every field", "[json]") {
    const live::State original = rich_state();
    const std::string text = live::to_json(original);
    const auto back = live::from_json(text);
    REQUIRE(back);
    live::State expected = original;
    live::sort_state(expected);
    CHECK(*back == expected);
    CHECK(live::to_json(*back) == text);
}

TEST_CASE("snapshot: output is canonical, whatever the order of the state", "[json]") {
    live::State shuffled = rich_state();
    std::reverse(shuffled.links.begin(), shuffled.links.end());
    std::reverse(shuffled.routes.begin(), shuffled.routes.end());
    std::reverse(shuffled.namespaces.begin(), shuffled.namespaces.end());
    CHECK(live::to_json(shuffled) == live::to_json(rich_state()));
}

TEST_CASE("snapshot: the layout is one line per object, names instead of numbers", "[json]") {
    live::State s;
    s.namespaces = {{"", false, ""}, {"pod-1", true, ""}};
    s.ip_forward = false;
    s.links.push_back(veth("pod-1", "eth0", "", "veth1"));
    s.links.back().group = kOwnedLinkGroup;
    s.routes.push_back(route("pod-1", "0.0.0.0/0", "eth0", "169.254.1.1", 0, kOwnedProtocol));
    s.routes.back().flags = 0x4;
    CHECK(live::to_json(s) == R"({
  "format": "podnetc-state/1",
  "ip_forward": false,
  "namespaces": [
    {
      "name": "",
      "owned": false,
      "links": [],
      "addresses": [],
      "routes": [],
      "neighbors": []
    },
    {
      "name": "pod-1",
      "owned": true,
      "links": [
        {"name": "eth0", "kind": "veth", "peer": {"netns": "", "name": "veth1"}, "mtu": 1500, "flags": ["up", "broadcast", "running", "multicast", "lower_up"], "operstate": "up", "group": 20558, "owned": true, "proxy_arp": false, "forwarding": false}
      ],
      "addresses": [],
      "routes": [
        {"table": "main", "dst": "0.0.0.0/0", "gateway": "169.254.1.1", "dev": "eth0", "scope": "global", "type": "unicast", "protocol": 176, "protocol_name": "podnetc", "flags": ["onlink"], "metric": 0, "owned": true}
      ],
      "neighbors": []
    }
  ]
}
)");
}

TEST_CASE("snapshot: a hand-written file needs only the essentials", "[json]") {
    const auto state = live::from_json(R"({
      "format": "podnetc-state/1",
      "namespaces": [
        {"name": "pod-1", "links": [{"name": "eth0", "kind": "veth", "peer": {"netns": "", "name": "veth1"}}],
         "addresses": [{"dev": "eth0", "local": "10.10.1.10/32", "protocol": "podnetc"}],
         "routes": [{"dst": "default", "gateway": "169.254.1.1", "dev": "eth0", "scope": 0, "table": 254}],
         "neighbors": [{"dev": "eth0", "dst": "169.254.1.1", "lladdr": "EE:EE:EE:EE:EE:EE"}]},
        {"name": ""}
      ]
    })");
    REQUIRE(state);
    CHECK(state->namespaces.size() == 2);
    CHECK(state->namespaces[0].name.empty());  // sorted
    CHECK_FALSE(state->ip_forward);
    REQUIRE(state->links.size() == 1);
    CHECK(state->links[0].netns == "pod-1");
    CHECK(state->links[0].ifindex == 0);
    CHECK(state->links[0].mtu == 0);
    CHECK(state->links[0].flags == 0);
    CHECK(state->addresses[0].protocol == kOwnedProtocol);
    CHECK(state->routes[0].table == 254);
    CHECK(state->routes[0].dst == ip::Prefix{ip::Address::v4(0), 0});
    CHECK(state->routes[0].type == 1);
    CHECK(state->neighbors[0].state == 0x80);  // snapshots hold permanent entries
    CHECK(state->neighbors[0].lladdr == Mac::parse("ee:ee:ee:ee:ee:ee"));
}

TEST_CASE("snapshot: errors name the field and say what is wrong", "[json]") {
    const std::string good = live::to_json(article_bridge());
    REQUIRE(live::from_json(good));
    auto error_of = [](const std::string& text) {
        const auto result = live::from_json(text);
        REQUIRE_FALSE(result);
        return result.error();
    };
    CHECK(error_of(replace(good, "podnetc-state/1", "podnetc-state/9")) ==
          "format: \"podnetc-state/9\" is not a format this podnetc reads (expected \"podnetc-state/1\")");
    CHECK(error_of(replace(good, "\"kind\": \"bridge\"", "\"knid\": \"bridge\"")) ==
          "namespaces[0].links[0]: unknown field \"knid\"");
    CHECK(error_of(replace(good, "\"02:00:00:00:00:01\"", "\"02:00:00:00:00\"")) ==
          "namespaces[0].links[0].mac: \"02:00:00:00:00\" is not a MAC address like 02:00:0a:0a:01:0a");
    CHECK(error_of(replace(good, "\"10.10.1.10/32\"", "\"10.10.1.300/32\"")) ==
          "namespaces[1].addresses[0].local: \"10.10.1.300/32\" is not an IPv4 prefix like 10.0.0.1/24");
    CHECK(error_of(replace(good, "\"flags\": [\"up\"", "\"flags\": [\"upp\"")) ==
          "namespaces[0].links[0].flags: unknown flag \"upp\"");
    CHECK(error_of(replace(good, "\"protocol_name\": \"boot\"", "\"protocol_name\": \"static\"")) ==
          "namespaces[1].routes[0].protocol_name: \"static\" does not match protocol 3 (the name is informational; "
          "fix or drop it)");
    CHECK(error_of(replace(good, "\"owned\": false}", "\"owned\": true}")) ==
          "namespaces[1].addresses[0].owned: contradicts the object's marker: ownership is protocol 176 (fix the "
          "marker, or drop \"owned\")");
    CHECK(error_of(replace(good, "\"name\": \"pod-2\"", "\"name\": \"pod-1\"")) ==
          "namespaces[2]: namespace \"pod-1\" is listed twice");
    CHECK(error_of(R"({"format": "podnetc-state/1", "namespaces": []})") ==
          "snapshot: the host namespace (name \"\") is missing; a snapshot of one namespace (show --json --netns) "
          "does not describe a node");
    CHECK(error_of(R"({"format": "podnetc-state/1", "namespaces": [{"name": "", "links": [{"mtu": 1}]}]})") ==
          "namespaces[0].links[0]: missing field \"name\"");
    CHECK(error_of(R"({"format": "podnetc-state/1", "namespaces": [{"name": "", "links": [{"name": "x", "mtu": -1}]}]})") ==
          "namespaces[0].links[0].mtu: expected a whole number from 0 to 4294967295");
    CHECK_THAT(error_of("{\"format\": "), Catch::StartsWith("not valid JSON: "));
}
