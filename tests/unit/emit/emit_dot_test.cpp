#include <catch2/catch.hpp>

#include "compiler/emit/emit.hpp"
#include "tests/unit/support/external_tool.hpp"
#include "tests/unit/plan/ir_samples.hpp"

using namespace podnetc;

namespace {

constexpr const char* kPrologue =
    "graph podnetc {\n"
    "  graph [label=\"podnetc: single-node topology\", labelloc=t, rankdir=LR, ranksep=1.2, nodesep=0.25, "
    "fontname=\"Helvetica\"];\n"
    "  node [fontname=\"Helvetica\", fontsize=10];\n"
    "  edge [fontname=\"Helvetica\", fontsize=9];\n";

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t count = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
    return count;
}

}  // namespace

TEST_CASE("emit_dot: bridge with a gateway, exactly") {
    CHECK(emit_dot(samples::bridge_gateway()) ==
          std::string{kPrologue} +
              "\n"
              "  subgraph cluster_0 {\n"
              "    label=\"host\";\n"
              "    \"link:/cbr0\" [shape=box, style=filled, fillcolor=\"#dde8f5\", label=\"cbr0 (bridge)\\n"
              "10.10.1.1/24\"];\n"
              "  }\n"
              "\n"
              "  subgraph cluster_1 {\n"
              "    label=\"pod-1\";\n"
              "    \"ns:pod-1\" [shape=ellipse, label=\"eth0 10.10.1.10/24\"];\n"
              "  }\n"
              "\n"
              "  subgraph cluster_2 {\n"
              "    label=\"pod-2\";\n"
              "    \"ns:pod-2\" [shape=ellipse, label=\"eth0 10.10.1.11/24\"];\n"
              "  }\n"
              "\n"
              "  subgraph cluster_3 {\n"
              "    label=\"pod-3\";\n"
              "    \"ns:pod-3\" [shape=ellipse, label=\"eth0 10.10.1.12/24\"];\n"
              "  }\n"
              "\n"
              "  \"link:/cbr0\" -- \"ns:pod-1\" [label=\"veth1 <-> eth0\"];\n"
              "  \"link:/cbr0\" -- \"ns:pod-2\" [label=\"veth2 <-> eth0\"];\n"
              "  \"link:/cbr0\" -- \"ns:pod-3\" [label=\"veth3 <-> eth0\"];\n"
              "}\n");
}

TEST_CASE("emit_dot: route mode ends the host veths in the host's IP stack") {
    const std::string dot = emit_dot(samples::route());
    CHECK(dot.find("\n    label=\"host\";\n    \"ns:\" [shape=ellipse, label=\"IP routing\"];\n") != std::string::npos);
    CHECK(dot.find("\n  \"ns:\" -- \"ns:pod-2\" [label=\"veth2 <-> eth0\"];\n") != std::string::npos);
    CHECK(count_of(dot, " -- ") == 2);
}

TEST_CASE("emit_dot: a mesh is one edge per pair and no host cluster") {
    const std::string dot = emit_dot(samples::mesh());
    CHECK(count_of(dot, " -- ") == 6);
    CHECK(count_of(dot, "subgraph cluster_") == 4);
    CHECK(dot.find("label=\"host\"") == std::string::npos);
    CHECK(dot.find("\n  \"ns:pod-1\" -- \"ns:pod-2\" [label=\"pod-2 <-> pod-1\"];\n") != std::string::npos);
    CHECK(dot.find("\n    \"ns:pod-4\" [shape=ellipse, label=\"pod-1 10.10.1.13/32\\npod-2 10.10.1.13/32\\n"
                   "pod-3 10.10.1.13/32\"];\n") != std::string::npos);
}

TEST_CASE("emit_dot: a node name titles the picture; quotes in names are escaped") {
    ir::NodeIr node = samples::bridge();
    node.node = "worker-\"1\"";
    node.pods.clear();
    node.namespaces[0].name = "a\\b";
    for (ir::Link& link : node.links) {
        if (link.netns == "pod-1") link.netns = "a\\b";
        if (link.peer_netns == "pod-1") link.peer_netns = "a\\b";
    }
    for (ir::Address& address : node.addresses) {
        if (address.netns == "pod-1") address.netns = "a\\b";
    }
    const std::string dot = emit_dot(node);
    CHECK(dot.find("label=\"podnetc: node worker-\\\"1\\\"\"") != std::string::npos);
    CHECK(dot.find("\n    label=\"a\\\\b\";\n    \"ns:a\\\\b\" [shape=ellipse") != std::string::npos);
    REQUIRE(testing::have_program("dot"));
    CHECK(testing::run_on_text("dot -Tsvg", dot) == 0);
}

TEST_CASE("emit_dot: every example, and a 110-pod node, is valid Graphviz") {
    REQUIRE(testing::have_program("dot"));
    for (const ir::NodeIr& node :
         {samples::bridge(), samples::bridge_gateway(), samples::route(), samples::mesh(), samples::routed_pods(110)}) {
        const std::string dot = emit_dot(node);
        CHECK(testing::run_on_text("dot -Tsvg -o /dev/null", dot) == 0);
        CHECK(dot == emit_dot(node));
    }
    CHECK(count_of(emit_dot(samples::routed_pods(110)), " -- ") == 110);
}

TEST_CASE("emit_dot: a pod without links still gets its cluster") {
    ir::NodeIr node;
    node.namespaces.push_back(ir::declared_netns("lonely", false, {}));
    const std::string dot = emit_dot(node);
    CHECK(dot.find("\n    label=\"lonely\";\n    \"ns:lonely\" [shape=ellipse, label=\"no address\"];\n") !=
          std::string::npos);
    CHECK(count_of(dot, " -- ") == 0);
}
