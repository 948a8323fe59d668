#include <catch2/catch.hpp>

#include "compiler/emit/emit.hpp"
#include "tests/unit/support/external_tool.hpp"
#include "tests/unit/plan/ir_samples.hpp"

using namespace podnetc;

namespace {

constexpr const char* kPrologue =
    "# Run it as root on a node that has none of these objects yet: it stops at the\n"
    "# first command that fails and does not undo what it did before.\n"
    "# Everything carries podnetc's ownership marks (link group 20558, protocol 176,\n"
    "# the namespace registry), so podnetc later knows these objects as its own.\n"
    "set -euo pipefail\n"
    "\n"
    "state_dir=${PODNETC_STATE_DIR:-/run/podnetc}\n"
    "# Addresses are marked too where iproute2 can (`proto`, newer than 6.1).\n"
    "addr_proto=()\n"
    "if [[ $(ip address help 2>&1) == *ADDRPROTO* ]]; then addr_proto=(proto 176); fi\n";

// The text between the comment line `# TITLE…` and the next blank line or the end.
std::string section(const std::string& script, const std::string& title) {
    const auto start = script.find("\n# " + title);
    REQUIRE(start != std::string::npos);
    const auto body = script.find('\n', start + 1) + 1;
    const auto end = script.find("\n\n", body);
    return script.substr(body, end == std::string::npos ? std::string::npos : end + 1 - body);
}

}  // namespace

TEST_CASE("emit_ip_script: the article's bridge experiment, exactly") {
    CHECK(emit_ip_script(samples::bridge()) ==
          std::string{"#!/bin/bash\n"
                      "# Built by podnetc (compile --emit ip) from a single-node topology.\n"
                      "# Creates 2 pod namespaces, 1 bridge, 2 veth pairs, 2 addresses and 2 routes.\n"} +
              kPrologue +
              "\n"
              "# Pod namespaces, each listed in podnetc's registry\n"
              "mkdir -p \"$state_dir/netns\"\n"
              "ip netns add pod-1\n"
              "ip -n pod-1 link set dev lo up\n"
              "touch \"$state_dir/netns/pod-1\"\n"
              "ip netns add pod-2\n"
              "ip -n pod-2 link set dev lo up\n"
              "touch \"$state_dir/netns/pod-2\"\n"
              "\n"
              "# Shared by the pods (bridges and their addresses)\n"
              "ip link add name cbr0 group 20558 up type bridge\n"
              "\n"
              "# Pod pod-1: eth0 on cbr0 (bridge) 10.10.1.10/32, host end veth1\n"
              "ip link add name veth1 group 20558 master cbr0 up type veth peer name eth0 netns pod-1 group 20558\n"
              "ip -n pod-1 link set dev eth0 up\n"
              "ip -n pod-1 address add 10.10.1.10/32 dev eth0 \"${addr_proto[@]}\"\n"
              "ip -n pod-1 route add default dev eth0 scope link proto 176\n"
              "\n"
              "# Pod pod-2: eth0 on cbr0 (bridge) 10.10.1.11/32, host end veth2\n"
              "ip link add name veth2 group 20558 master cbr0 up type veth peer name eth0 netns pod-2 group 20558\n"
              "ip -n pod-2 link set dev eth0 up\n"
              "ip -n pod-2 address add 10.10.1.11/32 dev eth0 \"${addr_proto[@]}\"\n"
              "ip -n pod-2 route add default dev eth0 scope link proto 176\n");
}

TEST_CASE("emit_ip_script: route mode sets up proxy ARP per device and a gateway that needs no default route") {
    const std::string script = emit_ip_script(samples::route());
    CHECK(script.find("# Creates 2 pod namespaces, 2 veth pairs, 2 addresses, 6 routes and 2 permanent "
                      "neighbours.\n") != std::string::npos);
    // The IR lists the default route before the gateway's /32: the script must not.
    CHECK(section(script, "Pod pod-1") ==
          "ip link add name veth1 group 20558 address ee:ee:ee:ee:ee:ee up type veth peer name eth0 netns pod-1 "
          "group 20558\n"
          "echo 1 > /proc/sys/net/ipv4/conf/veth1/proxy_arp\n"
          "echo 1 > /proc/sys/net/ipv4/conf/veth1/forwarding\n"
          "ip ntable change name arp_cache dev veth1 proxy_delay 0\n"
          "ip -n pod-1 link set dev eth0 up\n"
          "ip -n pod-1 address add 10.10.1.10/32 dev eth0 \"${addr_proto[@]}\"\n"
          "ip -n pod-1 neigh add 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee dev eth0 nud permanent protocol 176\n"
          "ip -n pod-1 route add 169.254.1.1/32 dev eth0 scope link proto 176\n"
          "ip -n pod-1 route add default via 169.254.1.1 dev eth0 proto 176\n"
          "ip route add 10.10.1.10/32 dev veth1 scope link proto 176\n");
    CHECK(script.find("ip_forward") == std::string::npos);
    CHECK(script.find("netns exec") == std::string::npos);
}

TEST_CASE("emit_ip_script: bridge with a gateway address") {
    const std::string script = emit_ip_script(samples::bridge_gateway());
    CHECK(section(script, "Shared by the pods") ==
          "ip link add name cbr0 group 20558 up type bridge\n"
          "ip address add 10.10.1.1/24 dev cbr0 \"${addr_proto[@]}\"\n");
    CHECK(section(script, "Pod pod-3") ==
          "ip link add name veth3 group 20558 master cbr0 up type veth peer name eth0 netns pod-3 group 20558\n"
          "ip -n pod-3 link set dev eth0 up\n"
          "ip -n pod-3 address add 10.10.1.12/24 dev eth0 \"${addr_proto[@]}\"\n"
          "ip -n pod-3 route add default via 10.10.1.1 dev eth0 proto 176\n");
}

TEST_CASE("emit_ip_script: a mesh makes its pairs between pod namespaces directly") {
    const std::string script = emit_ip_script(samples::mesh());
    CHECK(section(script, "Pod pod-3") ==
          "ip -n pod-3 link set dev pod-1 up\n"
          "ip -n pod-3 link set dev pod-2 up\n"
          "ip -n pod-3 link add name pod-4 group 20558 up type veth peer name pod-3 netns pod-4 group 20558\n"
          "ip -n pod-3 address add 10.10.1.12/32 dev pod-1 \"${addr_proto[@]}\"\n"
          "ip -n pod-3 address add 10.10.1.12/32 dev pod-2 \"${addr_proto[@]}\"\n"
          "ip -n pod-3 address add 10.10.1.12/32 dev pod-4 \"${addr_proto[@]}\"\n"
          "ip -n pod-3 route add 10.10.1.10/32 dev pod-1 scope link proto 176\n"
          "ip -n pod-3 route add 10.10.1.11/32 dev pod-2 scope link proto 176\n"
          "ip -n pod-3 route add 10.10.1.13/32 dev pod-4 scope link proto 176\n");
    // All namespaces exist before the first pair names its peer's.
    CHECK(script.find("ip netns add pod-4") < script.find("link add"));
}

TEST_CASE("emit_ip_script: MTU and MAC go to the end they belong to; a device route keeps scope global") {
    ir::NodeIr node = samples::bridge();
    node.links[1].mtu = 1450;                                 // veth1
    node.links[3].mtu = 1450;                                 // pod-1/eth0
    node.links[3].mac = samples::mac("02:00:0a:0a:01:0a");
    node.routes[0].scope = kernel::kScopeUniverse;          // pod-1: "default dev eth0"
    node.routes[1].flags |= kernel::kOnlink;
    node.routes[1].gateway = samples::ipv4("10.10.1.1");
    node.routes[1].scope = kernel::kScopeUniverse;
    node.routes[1].prefsrc = samples::ipv4("10.10.1.11");
    const std::string script = emit_ip_script(node);
    CHECK(script.find("\nip link add name veth1 group 20558 mtu 1450 master cbr0 up type veth peer name eth0 netns "
                      "pod-1 group 20558 address 02:00:0a:0a:01:0a mtu 1450\n") != std::string::npos);
    // Without `scope global` iproute2 would give a device-only route scope link.
    CHECK(script.find("\nip -n pod-1 route add default dev eth0 scope global proto 176\n") != std::string::npos);
    CHECK(script.find("\nip -n pod-2 route add default via 10.10.1.1 dev eth0 onlink src 10.10.1.11 proto 176\n") !=
          std::string::npos);
}

TEST_CASE("emit_ip_script: adopted objects are created only when missing, then set as declared") {
    ir::NodeIr node = samples::route();
    node.namespaces[0].adopt = true;
    for (ir::Link& link : node.links) link.adopt = link.pod == "pod-1";
    node.addresses[0].adopt = true;
    node.neighbors[0].adopt = true;
    node.routes[0].adopt = true;  // host route 10.10.1.10/32
    node.links[0].flags &= ~kernel::kIffUp;     // veth1
    const std::string script = emit_ip_script(node);
    CHECK(script.find("# Objects the topology adopts may exist already") != std::string::npos);
    // Created here (missing), it gets lo up like every namespace podnetc creates;
    // existing, it is left as it is.
    CHECK(script.find("\nif [ ! -e /run/netns/pod-1 ]; then ip netns add pod-1; ip -n pod-1 link set dev lo up; fi\n"
                      "touch \"$state_dir/netns/pod-1\"\n") != std::string::npos);
    CHECK(section(script, "Pod pod-1") ==
          "ip link show dev veth1 >/dev/null 2>&1 || ip link add name veth1 group 20558 address ee:ee:ee:ee:ee:ee "
          "type veth peer name eth0 netns pod-1 group 20558\n"
          "echo 1 > /proc/sys/net/ipv4/conf/veth1/proxy_arp\n"
          "echo 1 > /proc/sys/net/ipv4/conf/veth1/forwarding\n"
          "ip ntable change name arp_cache dev veth1 proxy_delay 0\n"
          "ip link set dev veth1 group 20558 address ee:ee:ee:ee:ee:ee down\n"
          "ip -n pod-1 link set dev eth0 group 20558 up\n"
          "ip -n pod-1 address replace 10.10.1.10/32 dev eth0 \"${addr_proto[@]}\"\n"
          "ip -n pod-1 neigh replace 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee dev eth0 nud permanent protocol 176\n"
          "ip -n pod-1 route add 169.254.1.1/32 dev eth0 scope link proto 176\n"
          "ip -n pod-1 route add default via 169.254.1.1 dev eth0 proto 176\n"
          "ip route replace 10.10.1.10/32 dev veth1 scope link proto 176\n");
    REQUIRE(testing::have_program("bash"));
    CHECK(testing::run_on_text("bash -n", script) == 0);
}

TEST_CASE("emit_ip_script: adopting either end of a pair guards the pair's creation") {
    ir::NodeIr node = samples::bridge();
    node.links[3].adopt = true;  // pod-1/eth0 only
    const std::string script = emit_ip_script(node);
    CHECK(section(script, "Pod pod-1").starts_with(
        "ip link show dev veth1 >/dev/null 2>&1 || ip link add name veth1 group 20558 master cbr0 up type veth "
        "peer name eth0 netns pod-1 group 20558\n"
        "ip -n pod-1 link set dev eth0 group 20558 up\n"));
}

TEST_CASE("emit_ip_script: the pair is made before its second end is used, whatever the IR order") {
    // The pod-side end of pod-2's pair is listed under pod-1, whose section comes first.
    ir::NodeIr node = samples::bridge();
    for (ir::Link& link : node.links) {
        if (link.netns == "pod-2") link.pod = "pod-1";
    }
    const std::string script = emit_ip_script(node);
    CHECK(section(script, "Pod pod-1") ==
          "ip link add name veth1 group 20558 master cbr0 up type veth peer name eth0 netns pod-1 group 20558\n"
          "ip -n pod-1 link set dev eth0 up\n"
          "ip link add name veth2 group 20558 master cbr0 up type veth peer name eth0 netns pod-2 group 20558\n"
          "ip -n pod-2 link set dev eth0 up\n"
          "ip -n pod-1 address add 10.10.1.10/32 dev eth0 \"${addr_proto[@]}\"\n"
          "ip -n pod-1 route add default dev eth0 scope link proto 176\n");
    CHECK(section(script, "Pod pod-2") ==
          "ip -n pod-2 address add 10.10.1.11/32 dev eth0 \"${addr_proto[@]}\"\n"
          "ip -n pod-2 route add default dev eth0 scope link proto 176\n");
}

TEST_CASE("emit_ip_script: the host end creates the pair even when the IR marks the pod end primary") {
    ir::NodeIr node = samples::bridge();
    for (ir::Link& link : node.links) link.primary = link.netns != "" && link.kind == kernel::kVeth;
    const std::string script = emit_ip_script(node);
    CHECK(script.find("netns 1") == std::string::npos);
    CHECK(script.find("ip link add name veth1 group 20558 master cbr0 up type veth peer name eth0 netns pod-1") !=
          std::string::npos);
}

TEST_CASE("emit_ip_script: names bash or iproute2 could misread are quoted or follow a keyword") {
    ir::NodeIr node = samples::bridge();
    for (ir::Namespace& ns : node.namespaces) {
        if (ns.name == "pod-2") ns.name = "it's";
    }
    for (ir::Link& link : node.links) {
        if (link.netns == "pod-2") link.netns = "it's";
        if (link.peer_netns == "pod-2") link.peer_netns = "it's";
        if (link.name == "veth1") link.name = "up";  // iproute2 would take a bare `up` as the keyword
        if (link.peer_name == "veth1") link.peer_name = "up";
    }
    for (ir::Address& address : node.addresses) {
        if (address.netns == "pod-2") address.netns = "it's";
    }
    for (ir::Route& route : node.routes) {
        if (route.netns == "pod-2") route.netns = "it's";
    }
    const std::string script = emit_ip_script(node);
    CHECK(script.find("\nip netns add 'it'\\''s'\nip -n 'it'\\''s' link set dev lo up\n"
                      "touch \"$state_dir/netns/\"'it'\\''s'\n") != std::string::npos);
    CHECK(script.find("peer name eth0 netns 'it'\\''s' group 20558\n") != std::string::npos);
    CHECK(script.find("\nip -n 'it'\\''s' link set dev eth0 up\n") != std::string::npos);
    CHECK(script.find("\nip link add name up group 20558 master cbr0 up type veth") != std::string::npos);
    REQUIRE(testing::have_program("bash"));
    CHECK(testing::run_on_text("bash -n", script) == 0);
}

TEST_CASE("emit_ip_script: devconf of a link inside a pod is written through that namespace's /proc") {
    ir::NodeIr node = samples::bridge();
    node.links[3].forwarding = false;  // pod-1/eth0
    node.links[3].proxy_delay_ms = 5;
    const std::string script = emit_ip_script(node);
    CHECK(section(script, "Pod pod-1").find("echo 0 | ip netns exec pod-1 tee /proc/sys/net/ipv4/conf/eth0/forwarding "
                                            ">/dev/null\n"
                                            "ip -n pod-1 ntable change name arp_cache dev eth0 proxy_delay 5\n"
                                            "ip -n pod-1 link set dev eth0 up\n") != std::string::npos);
}

TEST_CASE("emit_ip_script: every example is valid bash, and output is deterministic") {
    REQUIRE(testing::have_program("bash"));
    for (const ir::NodeIr& node : {samples::bridge(), samples::bridge_gateway(), samples::route(), samples::mesh()}) {
        const std::string script = emit_ip_script(node);
        CHECK(testing::run_on_text("bash -n", script) == 0);
        CHECK(script == emit_ip_script(node));
    }
    ir::NodeIr named = samples::bridge();
    named.node = "worker-1";
    CHECK(emit_ip_script(named).find("\n# Built by podnetc (compile --emit ip) for node worker-1.\n") !=
          std::string::npos);
    CHECK(emit_ip_script(ir::NodeIr{}).find("\n# Creates nothing.\n") != std::string::npos);
}
