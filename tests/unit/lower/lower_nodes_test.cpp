// Node selection (`lower`) and checking every node of a file (`check_all_nodes`).
#include <catch2/catch.hpp>

#include "compiler/lower/lower.hpp"
#include "compiler/syntax/frontend.hpp"
#include "tests/unit/lower/lower_support.hpp"

using podnetc::test::check_text;
using podnetc::test::lower_text;
using podnetc::test::render_model;

namespace {

const std::string kCluster = R"(network storage mode bridge subnet 10.96.0.0/16 bridge br-storage mtu 9000

node worker-1 {
  network pods mode route subnet 10.244.1.0/24
  for i in 1..2 {
    pod web-{i} on pods address 10.244.1.{i + 9}
  }
  pod db-1 {
    eth0 on pods address 10.244.1.50
    eth1 on storage address 10.96.1.50
  }
}

node worker-2 {
  network pods mode bridge subnet 10.244.2.0/24 gateway 10.244.2.1 bridge cni0
  pod web-3 on pods address 10.244.2.10
}
)";

std::string models(const std::string& text, const std::string& node) {
    auto lowered = lower_text(text, node);
    INFO(lowered.messages());
    REQUIRE(lowered.ir);
    return render_model(*lowered.ir);
}

}  // namespace

TEST_CASE("node_names lists node blocks in file order, once each") {
    podnetc::SourceSet sources;
    const auto id = sources.add("t.pnet", "node b { }\nnode a { }\nnode b { }\n");
    podnetc::Diagnostics diagnostics;
    CHECK(podnetc::node_names(podnetc::parse_pnet(sources, id, diagnostics)) == std::vector<std::string>{"b", "a"});
}

TEST_CASE("a file without node blocks is used whatever the node's name") {
    auto lowered = lower_text("network n mode route subnet 10.0.0.0/24\npod p on n address 10.0.0.2\n", "some-host", true);
    REQUIRE(lowered.ir);
    CHECK(lowered.ir->node.empty());
    CHECK(lowered.ir->pods.size() == 1);
}

TEST_CASE("a node sees the shared declarations and its own, in file order") {
    auto lowered = lower_text(kCluster, "worker-2");
    REQUIRE(lowered.ir);
    CHECK(lowered.ir->node == "worker-2");
    // The storage bridge exists on worker-2 although no pod there uses it: the
    // declaration belongs to every node; no warning for a shared network.
    CHECK(lowered.diagnostics.empty());
    CHECK(render_model(*lowered.ir) ==
          "network storage bridge 10.96.0.0/16 bridge br-storage mtu 9000\n"
          "network pods bridge 10.244.2.0/24 gateway 10.244.2.1 bridge cni0\n"
          "pod web-3\n"
          "  eth0 on pods (bridge) 10.244.2.10/24 host-veth " +
              lowered.ir->pods[0].attachments[0].host_veth + " default-route\n");
    const std::string worker1 = models(kCluster, "worker-1");
    CHECK(worker1.find("network pods route 10.244.1.0/24") != std::string::npos);
    CHECK(worker1.find("pod web-3") == std::string::npos);
    CHECK(worker1.find("  eth1 on storage (bridge) 10.96.1.50/16") != std::string::npos);
}

TEST_CASE("a node the file does not describe") {
    CHECK(lower_text(kCluster, "worker-3").summary() ==
          "error: this file describes no node 'worker-3'\n"
          "  note: the nodes are: worker-1, worker-2\n"
          "  note: did you mean 'worker-1'?\n");
    CHECK(lower_text(kCluster, "build-box", true).summary() ==
          "error: this file describes no node 'build-box'\n"
          "  note: the nodes are: worker-1, worker-2\n"
          "  note: 'build-box' is this machine's hostname, the default; choose a node with --node NAME (or "
          "$PODNETC_NODE)\n");
    CHECK(lower_text(kCluster, "").summary() ==
          "error: this file describes several nodes; choose one with --node NAME\n"
          "  note: the nodes are: worker-1, worker-2\n");
}

TEST_CASE("check_all_nodes: a clean cluster file has nothing to say") { CHECK(check_text(kCluster).empty()); }

TEST_CASE("check_all_nodes reports a shared problem once and each node's own") {
    CHECK(check_text("network shared mode bridge subnet 10.96.0.0/33\n"
                     "node a {\n"
                     "  network pods mode route subnet 10.1.0.0/24\n"
                     "  pod p on pods address 10.1.0.300\n"
                     "}\n"
                     "node b {\n"
                     "  network pods mode route subnet 10.2.0.0/24\n"
                     "  pod p on pods address 10.2.0.300\n"
                     "}\n") ==
          "1:9 warning: network 'shared' is not used by any pod of any node\n"
          "  note: it is declared outside the node blocks, so every node (a, b) has it\n"
          "1:35 error: malformed subnet '10.96.0.0/33': prefix length 33 > 32\n"
          "4:25 error: malformed address '10.1.0.300': octet 300 is out of range (0..255)\n"
          "8:25 error: malformed address '10.2.0.300': octet 300 is out of range (0..255)\n");
}

TEST_CASE("check_all_nodes: a shared network is unused only when no node uses it") {
    CHECK(check_text("network used mode bridge subnet 10.96.0.0/16\n"
                     "network spare mode bridge subnet 10.97.0.0/16\n"
                     "node a { pod p on used address 10.96.0.2 }\n"
                     "node b { pod q on used address 10.96.0.3; network lonely mode route subnet 10.1.0.0/24 }\n") ==
          "2:9 warning: network 'spare' is not used by any pod of any node\n"
          "  note: it is declared outside the node blocks, so every node (a, b) has it\n"
          "4:51 warning: network 'lonely' is not used by any pod\n");
}

TEST_CASE("node blocks do not nest and do not sit in loops") {
    CHECK(check_text("node a {\n  node b { }\n}\nfor i in 1..2 { node c{i} { } }\n") ==
          "2:3 error: a 'node' block must be at the top level of the file\n"
          "4:17 error: a 'node' block must be at the top level of the file\n");
}
