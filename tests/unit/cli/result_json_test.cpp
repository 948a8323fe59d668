// The command result document (tools/podnetc/result_json.hpp; docs/JSON.md,
// "Command result"): what became of each operation, per-namespace counts, errors
// with their source.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "compiler/plan/planner.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"
#include "tools/podnetc/result_json.hpp"

using namespace podnetc;
using namespace podnetc::test;

namespace {

plan::Plan two_pod_plan(SourceSet& sources) {
    IrBuilder b;
    b.node("worker-1").route_network("pods", "10.10.1.0/24");
    b.pod("pod-1", "pods", "10.10.1.10", "veth1");
    b.pod("pod-2", "pods", "10.10.1.11", "veth2");
    return plan::make_plan(b.build(sources), bare_node());
}

}  // namespace

TEST_CASE("result JSON: an applied plan counts its operations per namespace") {
    SourceSet sources;
    cli::CommandResult result("apply");
    result.node = "worker-1";
    result.outcome = "applied";
    result.plan = two_pod_plan(sources);
    result.fates.assign(result.plan->ops.size(), cli::OpFate::applied);
    result.verification = cli::Verification{};
    const auto doc = nlohmann::json::parse(cli::result_json(result, sources, {}, {}));

    CHECK(doc["format"] == "podnetc-result/1");
    CHECK(doc["command"] == "apply");
    CHECK(doc["outcome"] == "applied");
    REQUIRE(doc["operations"].size() == result.plan->ops.size());
    std::size_t counted = 0;
    for (const auto& n : doc["namespaces"]) counted += n["applied"].get<std::size_t>();
    CHECK(counted == result.plan->ops.size());
    CHECK(doc["namespaces"][0]["netns"] == "");  // the host first
    CHECK(doc["summary"]["create"] == result.plan->ops.size());
    CHECK(doc["verification"]["passed"] == true);
    CHECK(doc["verification"]["probes"].is_null());
    CHECK(doc["milliseconds"].is_null());
}

TEST_CASE("result JSON: a rolled-back plan applies nothing; fates default to planned") {
    SourceSet sources;
    cli::CommandResult result("apply");
    result.plan = two_pod_plan(sources);
    result.fates = {cli::OpFate::undone, cli::OpFate::failed};
    result.rolled_back = true;
    const auto doc = nlohmann::json::parse(cli::result_json(result, sources, {}, {}));

    CHECK(doc["rolled_back"] == true);
    CHECK(doc["namespaces"].empty());
    CHECK(doc["operations"][0]["status"] == "undone");
    CHECK(doc["operations"][1]["status"] == "failed");
    CHECK(doc["operations"][2]["status"] == "planned");
    CHECK(doc["operations"][0]["source"]["file"] == "test.pnet");
}

TEST_CASE("result JSON: errors and warnings carry file, line and column") {
    SourceSet sources;
    const FileId file = sources.add("topo.pnet", "network pods\npod p1 on nowhere\n");
    const Diagnostic error{Severity::error, SourceRange{file, 23, 7}, "unknown network 'nowhere'",
                           {DiagnosticNote{SourceRange{}, "declared networks: pods"}}};
    const Diagnostic warning{Severity::warning, SourceRange{}, "--node x is ignored", {}};
    cli::CommandResult result("check");
    result.files = {"topo.pnet"};
    const auto doc = nlohmann::json::parse(cli::result_json(result, sources, {error}, {warning}));

    CHECK(doc["summary"].is_null());
    CHECK(doc["operations"].empty());
    const auto& e = doc["errors"][0];
    CHECK(e["severity"] == "error");
    CHECK(e["source"]["file"] == "topo.pnet");
    CHECK(e["source"]["line"] == 2);
    CHECK(e["source"]["col"] == 11);
    CHECK(e["notes"][0]["message"] == "declared networks: pods");
    CHECK(e["notes"][0]["source"].is_null());
    CHECK(doc["warnings"][0]["source"].is_null());
    CHECK(doc["files"][0] == "topo.pnet");
}
