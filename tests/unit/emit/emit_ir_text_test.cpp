#include <catch2/catch.hpp>

#include "compiler/emit/emit.hpp"
#include "tests/unit/plan/ir_samples.hpp"

using namespace podnetc;

namespace {

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("emit_ir_text: the article's bridge experiment, exactly") {
    CHECK(emit_ir_text(samples::bridge()) ==
          "# podnetc IR, single-node file\n"
          "# 1 network, 2 pods; 2 namespaces, 5 links, 2 addresses, 2 routes, 0 neighbors\n"
          "\n"
          "# model\n"
          "network cbr0 mode bridge subnet 10.10.1.0/24 bridge cbr0\n"
          "pod pod-1\n"
          "  eth0 on cbr0 address 10.10.1.10/32 host-veth veth1 default-route\n"
          "pod pod-2\n"
          "  eth0 on cbr0 address 10.10.1.11/32 host-veth veth2 default-route\n"
          "\n"
          "# kernel objects\n"
          "netns host\n"
          "  link cbr0 bridge up network cbr0\n"
          "  link veth1 veth peer pod-1/eth0 primary master cbr0 up pod pod-1 network cbr0\n"
          "  link veth2 veth peer pod-2/eth0 primary master cbr0 up pod pod-2 network cbr0\n"
          "netns pod-1\n"
          "  link eth0 veth peer host/veth1 up network cbr0\n"
          "  address 10.10.1.10/32 dev eth0\n"
          "  route default dev eth0 scope link\n"
          "netns pod-2\n"
          "  link eth0 veth peer host/veth2 up network cbr0\n"
          "  address 10.10.1.11/32 dev eth0\n"
          "  route default dev eth0 scope link\n");
}

TEST_CASE("emit_ir_text: the article's routed experiment, exactly") {
    CHECK(emit_ir_text(samples::route()) ==
          "# podnetc IR, single-node file\n"
          "# 1 network, 2 pods; 2 namespaces, 4 links, 2 addresses, 6 routes, 2 neighbors\n"
          "\n"
          "# model\n"
          "network pods mode route subnet 10.10.1.0/24 gateway 169.254.1.1\n"
          "pod pod-1\n"
          "  eth0 on pods address 10.10.1.10/32 host-veth veth1 host-mac ee:ee:ee:ee:ee:ee default-route\n"
          "pod pod-2\n"
          "  eth0 on pods address 10.10.1.11/32 host-veth veth2 host-mac ee:ee:ee:ee:ee:ee default-route\n"
          "\n"
          "# kernel objects\n"
          "netns host\n"
          "  link veth1 veth peer pod-1/eth0 primary mac ee:ee:ee:ee:ee:ee up proxy_arp on forwarding on "
          "proxy_delay 0 pod pod-1 network pods\n"
          "  link veth2 veth peer pod-2/eth0 primary mac ee:ee:ee:ee:ee:ee up proxy_arp on forwarding on "
          "proxy_delay 0 pod pod-2 network pods\n"
          "  route 10.10.1.10/32 dev veth1 scope link pod pod-1\n"
          "  route 10.10.1.11/32 dev veth2 scope link pod pod-2\n"
          "netns pod-1\n"
          "  link eth0 veth peer host/veth1 up network pods\n"
          "  address 10.10.1.10/32 dev eth0\n"
          "  neighbor 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee dev eth0 permanent\n"
          "  route default via 169.254.1.1 dev eth0\n"
          "  route 169.254.1.1/32 dev eth0 scope link\n"
          "netns pod-2\n"
          "  link eth0 veth peer host/veth2 up network pods\n"
          "  address 10.10.1.11/32 dev eth0\n"
          "  neighbor 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee dev eth0 permanent\n"
          "  route default via 169.254.1.1 dev eth0\n"
          "  route 169.254.1.1/32 dev eth0 scope link\n");
}

TEST_CASE("emit_ir_text: a mesh prints both ends of every pair, primary on the first pod's") {
    const std::string text = emit_ir_text(samples::mesh());
    CHECK(has_line(text, "network mesh mode mesh subnet 10.10.1.0/24 max-pairs 1024"));
    CHECK(has_line(text, "pod pod-3\n  on mesh address 10.10.1.12/32"));
    CHECK(has_line(text, "netns pod-1\n  link pod-2 veth peer pod-2/pod-1 primary up network mesh"));
    CHECK(has_line(text, "netns pod-2\n  link pod-1 veth peer pod-1/pod-2 up network mesh"));
    CHECK(has_line(text, "  route 10.10.1.13/32 dev pod-4 scope link"));
    CHECK(text.find("netns host") == std::string::npos);  // a mesh needs nothing on the host
}

TEST_CASE("emit_ir_text: a named node, and the settings the examples do not use") {
    ir::NodeIr node = samples::bridge_gateway();
    node.node = "worker-1";
    node.networks[0].mtu = 9000;
    node.networks[0].adopt = true;
    node.namespaces[0].adopt = true;
    node.pods[0].adopt = true;
    node.pods[0].attachments[0].mac = samples::mac("02:00:0a:0a:01:0a");
    node.pods[0].attachments[0].mtu = 1450;
    node.links[0].adopt = true;
    node.links[0].mtu = 9000;
    node.links[1].flags &= ~kernel::kIffUp;
    node.links[1].proxy_arp = false;
    node.routes[0].flags |= kernel::kOnlink;
    node.routes[0].prefsrc = samples::ipv4("10.10.1.10");
    node.routes[0].adopt = true;
    node.addresses[1].adopt = true;

    const std::string text = emit_ir_text(node);
    CHECK(text.starts_with("# podnetc IR, node worker-1\n# 1 network, 3 pods; 3 namespaces, 7 links, 4 addresses, "
                           "3 routes, 0 neighbors\n"));
    CHECK(has_line(text, "network cbr0 mode bridge subnet 10.10.1.0/24 gateway 10.10.1.1 bridge cbr0 mtu 9000 adopt"));
    CHECK(has_line(text, "pod pod-1 adopt\n  eth0 on cbr0 address 10.10.1.10/24 host-veth veth1 mac 02:00:0a:0a:01:0a "
                         "mtu 1450 default-route"));
    CHECK(has_line(text, "netns host\n  link cbr0 bridge mtu 9000 up adopt network cbr0"));
    CHECK(has_line(text, "  link veth1 veth peer pod-1/eth0 primary master cbr0 down proxy_arp off pod pod-1 "
                         "network cbr0"));
    CHECK(has_line(text, "  address 10.10.1.1/24 dev cbr0"));
    CHECK(has_line(text, "netns pod-1 adopt"));
    CHECK(has_line(text, "  address 10.10.1.10/24 dev eth0 adopt"));
    CHECK(has_line(text, "  route default via 10.10.1.1 dev eth0 onlink src 10.10.1.10 adopt"));
}

TEST_CASE("emit_ir_text: an object in a pod namespace that belongs to no pod says so") {
    ir::NodeIr node = samples::bridge();
    node.addresses[0].pod = "";
    node.routes[1].pod = "pod-1";
    const std::string text = emit_ir_text(node);
    CHECK(has_line(text, "  address 10.10.1.10/32 dev eth0 pod \"\""));
    CHECK(has_line(text, "  route default dev eth0 scope link pod pod-1"));  // in pod-2's namespace
}

TEST_CASE("emit_ir_text: no source locations, so TOML twins can compare byte for byte") {
    ir::NodeIr located = samples::route();
    for (ir::Link& link : located.links) link.range = SourceRange{1, 100, 20};
    for (ir::Route& route : located.routes) route.range = SourceRange{2, 7, 3};
    located.networks[0].range = SourceRange{1, 0, 10};
    CHECK(emit_ir_text(located) == emit_ir_text(samples::route()));
}

TEST_CASE("emit_ir_text: namespaces the IR does not list still print, after the listed ones") {
    ir::NodeIr node = samples::bridge();
    node.namespaces.erase(node.namespaces.begin());  // pod-1 unlisted
    const std::string text = emit_ir_text(node);
    const auto host = text.find("\nnetns host\n");
    const auto pod2 = text.find("\nnetns pod-2\n");
    const auto pod1 = text.find("\nnetns pod-1\n");
    REQUIRE(pod1 != std::string::npos);
    CHECK(host < pod2);
    CHECK(pod2 < pod1);
}

TEST_CASE("emit_ir_text: deterministic") {
    CHECK(emit_ir_text(samples::mesh()) == emit_ir_text(samples::mesh()));
    CHECK(emit_ir_text(ir::NodeIr{}) ==
          "# podnetc IR, single-node file\n"
          "# 0 networks, 0 pods; 0 namespaces, 0 links, 0 addresses, 0 routes, 0 neighbors\n"
          "\n# model\n\n# kernel objects\n");
}
