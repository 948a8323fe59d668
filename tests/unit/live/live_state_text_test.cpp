// `podnetc show` text: one line per object, [owned]/[foreign], kernel noise hidden.
#include <catch2/catch.hpp>

#include "compiler/live/live_state_text.hpp"
#include "tests/unit/live/live_fixtures.hpp"

using namespace podnetc;
using namespace podnetc::fixtures;

TEST_CASE("show text: the routed node as podnetc builds it", "[show]") {
    live::State s = route_as_podnetc_builds();
    s.addresses.push_back(address("", "lo", "127.0.0.1/8"));
    s.routes.push_back(route("pod-1", "10.10.1.0/24", "eth0", std::nullopt, 253, 2));  // kernel-made
    s.routes.push_back(route("pod-2", "192.0.2.0/24", "eth0", "169.254.1.1", 0, 4));   // foreign
    s.namespaces.push_back({"stale", false, "/run/netns/stale is not a network namespace"});
    CHECK(live::to_text(s) == R"(host namespace
  ip_forward off
  link veth1 veth peer pod-1/eth0 up mac ee:ee:ee:ee:ee:ee proxy_arp forwarding proxy_delay 0ms  [owned]
  link veth2 veth peer pod-2/eth0 up mac ee:ee:ee:ee:ee:ee proxy_arp forwarding proxy_delay 0ms  [owned]
  route 10.10.1.10/32 dev veth1 scope link  [owned]
  route 10.10.1.11/32 dev veth2 scope link  [owned]

namespace pod-1  [owned]
  link eth0 veth peer host/veth1 up  [owned]
  address 10.10.1.10/32 dev eth0  [owned]
  route default via 169.254.1.1 dev eth0  [owned]
  route 169.254.1.1/32 dev eth0 scope link  [owned]
  neighbor 169.254.1.1 dev eth0 lladdr ee:ee:ee:ee:ee:ee  [owned]

namespace pod-2  [owned]
  link eth0 veth peer host/veth2 up  [owned]
  address 10.10.1.11/32 dev eth0  [owned]
  route default via 169.254.1.1 dev eth0  [owned]
  route 169.254.1.1/32 dev eth0 scope link  [owned]
  route 192.0.2.0/24 via 169.254.1.1 dev eth0 proto static  [foreign]
  neighbor 169.254.1.1 dev eth0 lladdr ee:ee:ee:ee:ee:ee  [owned]

namespace stale  [foreign]  (not read: /run/netns/stale is not a network namespace)

2 kernel-made objects not shown (prefix routes, loopback addresses); --all shows them.
)");
    const std::string all = live::to_text(s, live::TextOptions{true, false});
    CHECK_THAT(all, Catch::Contains("  address 127.0.0.1/8 dev lo  [foreign]\n"));
    CHECK_THAT(all, Catch::Contains("  route 10.10.1.0/24 dev eth0 scope link proto kernel  [foreign]\n"));
    CHECK_THAT(all, !Catch::Contains("not shown"));
}

TEST_CASE("show text: bridge ports, peers, states and colours", "[show]") {
    live::State s = article_bridge();
    s.links[1].bridge_port = live::BridgePort{4, true, false, false, true};  // veth1
    s.links[1].flags = 0x1;                                                  // up, no carrier
    s.links.push_back(veth("pod-1", "pod-2", "pod-2", "pod-1"));
    s.links.back().flags = 0;
    s.links.push_back(veth("pod-2", "pod-1", "pod-1", "pod-2"));
    s.links.push_back(veth("", "lost", "?", ""));
    s.links.back().mtu = 9000;
    const std::string text = live::to_text(s);
    CHECK_THAT(text, Catch::Contains("  link veth1 veth peer pod-1/eth0 master cbr0 up no-carrier port-state blocking "
                                     "hairpin learning off flood off isolated  [foreign]\n"));
    CHECK_THAT(text, Catch::Contains("  link pod-2 veth peer pod-2/pod-1 down  [foreign]\n"));
    CHECK_THAT(text, Catch::Contains("  link lost veth peer ? up mtu 9000  [foreign]\n"));
    CHECK_THAT(text, Catch::Contains("  route default dev eth0 scope link proto boot  [foreign]\n"));
    const std::string colored = live::to_text(s, live::TextOptions{false, true});
    CHECK_THAT(colored, Catch::Contains("\x1b[33m[foreign]\x1b[0m"));
    CHECK_THAT(colored, Catch::Contains("\x1b[1mnamespace pod-1\x1b[0m"));
}
