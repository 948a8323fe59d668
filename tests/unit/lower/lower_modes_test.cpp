// What each mode builds (docs/LANGUAGE.md, "What each mode builds"): the exact
// kernel objects and model of small topologies.
#include <catch2/catch.hpp>

#include "compiler/lower/naming.hpp"
#include "tests/unit/lower/lower_support.hpp"

using podnetc::test::lower_text;
using podnetc::test::render_kernel;
using podnetc::test::render_model;

namespace {

// The kernel objects of a text that must lower without any diagnostic.
std::string kernel_of(const std::string& text) {
    auto lowered = lower_text(text);
    INFO(lowered.messages());
    REQUIRE(lowered.diagnostics.empty());
    REQUIRE(lowered.ir);
    return render_kernel(*lowered.ir);
}

std::string model_of(const std::string& text) {
    auto lowered = lower_text(text);
    INFO(lowered.messages());
    REQUIRE(lowered.diagnostics.empty());
    REQUIRE(lowered.ir);
    return render_model(*lowered.ir);
}

}  // namespace

TEST_CASE("route mode builds the article's L3 experiment") {
    const std::string text = R"(
network pods mode route subnet 10.10.1.0/24
pod pod-1 on pods address 10.10.1.10 host-veth veth1
pod pod-2 on pods address 10.10.1.11 host-veth veth2
)";
    CHECK(model_of(text) ==
          "network pods route 10.10.1.0/24 gateway 169.254.1.1\n"
          "pod pod-1\n"
          "  eth0 on pods (route) 10.10.1.10/32 host-veth veth1 host-mac ee:ee:ee:ee:ee:ee default-route\n"
          "pod pod-2\n"
          "  eth0 on pods (route) 10.10.1.11/32 host-veth veth2 host-mac ee:ee:ee:ee:ee:ee default-route\n");
    CHECK(kernel_of(text) ==
          "netns pod-1\n"
          "netns pod-2\n"
          "link host veth1 veth peer pod-1/eth0 primary mac ee:ee:ee:ee:ee:ee proxy_arp=1 forwarding=1 "
          "proxy_delay=0 net=pods pod=pod-1\n"
          "link host veth2 veth peer pod-2/eth0 primary mac ee:ee:ee:ee:ee:ee proxy_arp=1 forwarding=1 "
          "proxy_delay=0 net=pods pod=pod-2\n"
          "link pod-1 eth0 veth peer host/veth1 net=pods pod=pod-1\n"
          "link pod-2 eth0 veth peer host/veth2 net=pods pod=pod-2\n"
          "addr pod-1 eth0 10.10.1.10/32 pod=pod-1\n"
          "addr pod-2 eth0 10.10.1.11/32 pod=pod-2\n"
          "route host 10.10.1.10/32 dev veth1 scope link pod=pod-1\n"
          "route host 10.10.1.11/32 dev veth2 scope link pod=pod-2\n"
          "route pod-1 default via 169.254.1.1 dev eth0 pod=pod-1\n"
          "route pod-1 169.254.1.1/32 dev eth0 scope link pod=pod-1\n"
          "route pod-2 default via 169.254.1.1 dev eth0 pod=pod-2\n"
          "route pod-2 169.254.1.1/32 dev eth0 scope link pod=pod-2\n"
          "neigh pod-1 eth0 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee pod=pod-1\n"
          "neigh pod-2 eth0 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee pod=pod-2\n");
}

TEST_CASE("route mode: a non-default interface routes only its subnet, onlink via the gateway") {
    const std::string text = R"(
network front mode route subnet 10.1.0.0/16 mtu 1450
network back mode route subnet 10.2.0.0/16 gateway 169.254.2.2
pod p {
  on front address 10.1.0.5 host-veth hf host-mac 02:00:00:00:00:01 mac 02:00:00:00:00:02
  on back address 10.2.0.5 address 10.2.0.6/24 host-veth hb mtu 9000
}
)";
    CHECK(kernel_of(text) ==
          "netns p\n"
          "link host hb veth peer p/eth1 primary mac ee:ee:ee:ee:ee:ee mtu 9000 proxy_arp=1 forwarding=1 "
          "proxy_delay=0 net=back pod=p\n"
          "link host hf veth peer p/eth0 primary mac 02:00:00:00:00:01 mtu 1450 proxy_arp=1 forwarding=1 "
          "proxy_delay=0 net=front pod=p\n"
          "link p eth0 veth peer host/hf mac 02:00:00:00:00:02 mtu 1450 net=front pod=p\n"
          "link p eth1 veth peer host/hb mtu 9000 net=back pod=p\n"
          "addr p eth0 10.1.0.5/32 pod=p\n"
          "addr p eth1 10.2.0.5/32 pod=p\n"
          "addr p eth1 10.2.0.6/24 pod=p\n"
          "route host 10.1.0.5/32 dev hf scope link pod=p\n"
          "route host 10.2.0.5/32 dev hb scope link pod=p\n"
          "route host 10.2.0.6/32 dev hb scope link pod=p\n"
          "route p default via 169.254.1.1 dev eth0 pod=p\n"
          "route p 10.2.0.0/16 via 169.254.2.2 dev eth1 onlink pod=p\n"
          "route p 169.254.1.1/32 dev eth0 scope link pod=p\n"
          "neigh p eth0 169.254.1.1 lladdr 02:00:00:00:00:01 pod=p\n"
          "neigh p eth1 169.254.2.2 lladdr ee:ee:ee:ee:ee:ee pod=p\n");
}

TEST_CASE("bridge mode builds the article's L2 experiment") {
    const std::string text = R"(
network cbr0 mode bridge subnet 10.10.1.0/24
pod pod-1 on cbr0 address 10.10.1.10/32 host-veth veth1
pod pod-2 on cbr0 address 10.10.1.11/32 host-veth veth2
)";
    CHECK(kernel_of(text) ==
          "netns pod-1\n"
          "netns pod-2\n"
          "link host cbr0 bridge mac 02:b8:a3:52:36:d0 net=cbr0\n"
          "link host veth1 veth peer pod-1/eth0 primary master cbr0 net=cbr0 pod=pod-1\n"
          "link host veth2 veth peer pod-2/eth0 primary master cbr0 net=cbr0 pod=pod-2\n"
          "link pod-1 eth0 veth peer host/veth1 net=cbr0 pod=pod-1\n"
          "link pod-2 eth0 veth peer host/veth2 net=cbr0 pod=pod-2\n"
          "addr pod-1 eth0 10.10.1.10/32 pod=pod-1\n"
          "addr pod-2 eth0 10.10.1.11/32 pod=pod-2\n"
          "route pod-1 default dev eth0 scope link pod=pod-1\n"
          "route pod-2 default dev eth0 scope link pod=pod-2\n");
}

TEST_CASE("bridge mode with a gateway: the bridge holds it, pods take the subnet's length") {
    const std::string text = R"(
network cbr0 mode bridge subnet 10.10.1.0/24 gateway 10.10.1.1 bridge br0 mtu 9000
pod pod-1 on cbr0 address 10.10.1.10 host-veth veth1 mtu 1500
pod pod-2 on cbr0 address 10.10.1.11/32 host-veth veth2
)";
    CHECK(model_of(text) ==
          "network cbr0 bridge 10.10.1.0/24 gateway 10.10.1.1 bridge br0 mtu 9000\n"
          "pod pod-1\n"
          "  eth0 on cbr0 (bridge) 10.10.1.10/24 host-veth veth1 mtu 1500 default-route\n"
          "pod pod-2\n"
          "  eth0 on cbr0 (bridge) 10.10.1.11/32 host-veth veth2 mtu 9000 default-route\n");
    // pod-2's /32 does not reach the gateway: its default route is onlink.
    CHECK(kernel_of(text) ==
          "netns pod-1\n"
          "netns pod-2\n"
          "link host br0 bridge mac 02:74:f3:a1:ca:aa mtu 9000 net=cbr0\n"
          "link host veth1 veth peer pod-1/eth0 primary master br0 mtu 1500 net=cbr0 pod=pod-1\n"
          "link host veth2 veth peer pod-2/eth0 primary master br0 mtu 9000 net=cbr0 pod=pod-2\n"
          "link pod-1 eth0 veth peer host/veth1 mtu 1500 net=cbr0 pod=pod-1\n"
          "link pod-2 eth0 veth peer host/veth2 mtu 9000 net=cbr0 pod=pod-2\n"
          "addr host br0 10.10.1.1/24\n"
          "addr pod-1 eth0 10.10.1.10/24 pod=pod-1\n"
          "addr pod-2 eth0 10.10.1.11/32 pod=pod-2\n"
          "route pod-1 default via 10.10.1.1 dev eth0 pod=pod-1\n"
          "route pod-2 default via 10.10.1.1 dev eth0 onlink pod=pod-2\n");
}

TEST_CASE("bridge mode: a non-default interface gets a subnet route only when its prefix does not cover the subnet") {
    const std::string text = R"(
network pods mode route subnet 10.244.1.0/24
network wide mode bridge subnet 10.96.0.0/16
network narrow mode bridge subnet 10.97.0.0/16
pod db {
  on pods address 10.244.1.50 host-veth h0
  on wide address 10.96.1.50 host-veth h1
  on narrow address 10.97.1.50/32 host-veth h2
}
)";
    const std::string kernel = kernel_of(text);
    CHECK(kernel.find("route db 10.96.0.0/16") == std::string::npos);
    CHECK(kernel.find("route db 10.97.0.0/16 dev eth2 scope link pod=db\n") != std::string::npos);
    CHECK(kernel.find("addr db eth1 10.96.1.50/16 pod=db\n") != std::string::npos);
    CHECK(kernel.find("route db default via 169.254.1.1 dev eth0 pod=db\n") != std::string::npos);
}

TEST_CASE("default-route moves the default route to another interface") {
    const std::string text = R"(
network pods mode route subnet 10.244.1.0/24
network lan mode bridge subnet 10.96.0.0/16 gateway 10.96.0.1
pod db {
  on pods address 10.244.1.50 host-veth h0
  on lan address 10.96.1.50 host-veth h1 default-route
}
)";
    CHECK(model_of(text) ==
          "network pods route 10.244.1.0/24 gateway 169.254.1.1\n"
          "network lan bridge 10.96.0.0/16 gateway 10.96.0.1 bridge lan\n"
          "pod db\n"
          "  eth0 on pods (route) 10.244.1.50/32 host-veth h0 host-mac ee:ee:ee:ee:ee:ee\n"
          "  eth1 on lan (bridge) 10.96.1.50/16 host-veth h1 default-route\n");
    const std::string kernel = kernel_of(text);
    CHECK(kernel.find("route db default via 10.96.0.1 dev eth1 pod=db\n") != std::string::npos);
    CHECK(kernel.find("route db 10.244.1.0/24 via 169.254.1.1 dev eth0 onlink pod=db\n") != std::string::npos);
    CHECK(kernel.find("route db 169.254.1.1/32") == std::string::npos);
}

TEST_CASE("mesh mode: a pair per two pods, named after the peer, and a /32 route per peer address") {
    const std::string text = R"(
network m mode mesh subnet 10.10.1.0/24 mtu 1400
pod a on m address 10.10.1.10
pod b on m address 10.10.1.11 address 10.10.1.21
pod c on m address 10.10.1.12
)";
    CHECK(model_of(text) ==
          "network m mesh 10.10.1.0/24 mtu 1400 max-pairs 1024\n"
          "pod a\n"
          "  - on m (mesh) 10.10.1.10/32 mtu 1400\n"
          "pod b\n"
          "  - on m (mesh) 10.10.1.11/32 10.10.1.21/32 mtu 1400\n"
          "pod c\n"
          "  - on m (mesh) 10.10.1.12/32 mtu 1400\n");
    CHECK(kernel_of(text) ==
          "netns a\n"
          "netns b\n"
          "netns c\n"
          "link a b veth peer b/a primary mtu 1400 net=m pod=a\n"
          "link a c veth peer c/a primary mtu 1400 net=m pod=a\n"
          "link b a veth peer a/b mtu 1400 net=m pod=b\n"
          "link b c veth peer c/b primary mtu 1400 net=m pod=b\n"
          "link c a veth peer a/c mtu 1400 net=m pod=c\n"
          "link c b veth peer b/c mtu 1400 net=m pod=c\n"
          "addr a b 10.10.1.10/32 pod=a\n"
          "addr a c 10.10.1.10/32 pod=a\n"
          "addr b a 10.10.1.11/32 pod=b\n"
          "addr b a 10.10.1.21/32 pod=b\n"
          "addr b c 10.10.1.11/32 pod=b\n"
          "addr b c 10.10.1.21/32 pod=b\n"
          "addr c a 10.10.1.12/32 pod=c\n"
          "addr c b 10.10.1.12/32 pod=c\n"
          "route a 10.10.1.11/32 dev b scope link pod=a\n"
          "route a 10.10.1.12/32 dev c scope link pod=a\n"
          "route a 10.10.1.21/32 dev b scope link pod=a\n"
          "route b 10.10.1.10/32 dev a scope link pod=b\n"
          "route b 10.10.1.12/32 dev c scope link pod=b\n"
          "route c 10.10.1.10/32 dev a scope link pod=c\n"
          "route c 10.10.1.11/32 dev b scope link pod=c\n"
          "route c 10.10.1.21/32 dev b scope link pod=c\n");
}

TEST_CASE("mesh mode: a peer whose name is no valid interface name gets a hashed one") {
    const std::string long_name = "a-pod-with-a-long-name";
    const std::string text = "network m mode mesh subnet 10.0.0.0/24\n"
                             "pod " + long_name + " on m address 10.0.0.1\n"
                             "pod lo on m address 10.0.0.2\n"
                             "pod b on m address 10.0.0.3\n";
    const std::string hashed = podnetc::naming::mesh_ifname(long_name);
    const std::string lo = podnetc::naming::mesh_ifname("lo");
    CHECK(hashed.size() == 15);
    CHECK(hashed.rfind("pm", 0) == 0);
    CHECK(lo.rfind("pm", 0) == 0);
    const std::string kernel = kernel_of(text);
    CHECK(kernel.find("link b " + hashed + " veth peer " + long_name + "/b net=m") != std::string::npos);
    CHECK(kernel.find("link b " + lo + " veth peer lo/b net=m") != std::string::npos);
    CHECK(kernel.find("link lo " + hashed + " veth peer " + long_name + "/" + lo + " net=m") != std::string::npos);
}

TEST_CASE("adopt marks what a pod or a bridge network takes over") {
    const std::string text = R"(
network cbr0 mode bridge subnet 10.10.1.0/24 gateway 10.10.1.1 adopt
pod pod-1 adopt on cbr0 address 10.10.1.10 host-veth veth1
pod pod-2 on cbr0 address 10.10.1.11 host-veth veth2
)";
    CHECK(kernel_of(text) ==
          "netns pod-1 adopt\n"
          "netns pod-2\n"
          "link host cbr0 bridge net=cbr0 adopt\n"
          "link host veth1 veth peer pod-1/eth0 primary master cbr0 net=cbr0 pod=pod-1 adopt\n"
          "link host veth2 veth peer pod-2/eth0 primary master cbr0 net=cbr0 pod=pod-2\n"
          "link pod-1 eth0 veth peer host/veth1 net=cbr0 pod=pod-1 adopt\n"
          "link pod-2 eth0 veth peer host/veth2 net=cbr0 pod=pod-2\n"
          "addr host cbr0 10.10.1.1/24 adopt\n"
          "addr pod-1 eth0 10.10.1.10/24 pod=pod-1 adopt\n"
          "addr pod-2 eth0 10.10.1.11/24 pod=pod-2\n"
          "route pod-1 default via 10.10.1.1 dev eth0 pod=pod-1 adopt\n"
          "route pod-2 default via 10.10.1.1 dev eth0 pod=pod-2\n");
}
