// The machine plan: documented fields, an exact round trip, source files read back.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "compiler/plan_io/plan_output.hpp"
#include "compiler/plan/planner.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"

using namespace podnetc;
using namespace podnetc::test;

namespace {

IrBuilder routed(int pods) {
    IrBuilder b;
    b.node("worker-1").route_network("pods", "10.10.1.0/24");
    for (int i = 1; i <= pods; ++i) {
        b.pod("pod-" + std::to_string(i), "pods", "10.10.1." + std::to_string(9 + i), "veth" + std::to_string(i));
    }
    return b;
}

// A directory for this test's files, removed at the end.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "podnetc-plan-json-XXXXXX").string();
        path = mkdtemp(pattern.data());
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) const {
        const auto file = path / name;
        std::ofstream(file) << text;
        return file.string();
    }
};

}  // namespace

TEST_CASE("plan JSON: format, summary and an op with its inverse") {
    SourceSet sources;
    const ir::NodeIr ir = routed(1).build(sources, "route.pnet");
    const plan::Plan p = plan::make_plan(ir, bare_node());
    const auto j = nlohmann::json::parse(plan::to_json(p, sources));
    CHECK(j["format"] == "podnetc-plan/1");
    CHECK(j["node"] == "worker-1");
    CHECK(j["state_fingerprint"] == plan::fingerprint(ir, bare_node()));
    CHECK(j["summary"] == nlohmann::json{{"create", 10}, {"change", 0}, {"delete", 0}, {"adopt", 0}, {"drift", 0}, {"conflicts", 0}});
    const auto& op = j["ops"][1];
    CHECK(op["step"]["kind"] == "create_link");
    CHECK(op["step"]["netns"] == "");
    CHECK(op["step"]["object"] == nlohmann::json::parse(R"({
        "kind": "veth",
        "end": {"netns": "", "name": "veth1", "mac": "ee:ee:ee:ee:ee:ee", "mtu": 0, "group": 20558},
        "peer": {"netns": "pod-1", "name": "eth0", "mac": null, "mtu": 0, "group": 20558},
        "master": "", "up": true})"));
    CHECK(op["reason"] == "missing");
    CHECK(op["detail"] == "");
    CHECK(op["pod"] == "pod-1");
    CHECK(op["source"] == nlohmann::json{{"file", "route.pnet"}, {"line", 2}, {"col", 1}, {"offset", 44}, {"length", 52}});
    CHECK(op["inverse"] == nlohmann::json::parse(
                               R"([{"kind": "delete_link", "netns": "", "object": {"netns": "", "name": "veth1", "group": null}}])"));
    const auto& route = j["ops"][4]["step"]["object"];
    CHECK(route == nlohmann::json::parse(R"({"netns": "", "table": 254, "dst": "10.10.1.10/32", "gateway": null,
        "dev": "veth1", "scope": 253, "protocol": 176, "type": 1, "onlink": false, "prefsrc": null, "metric": 0})"));
    CHECK(j["conflicts"] == nlohmann::json::array());
}

TEST_CASE("plan JSON round trip is exact, with the source files read back") {
    const TempDir dir;
    SourceSet sources;
    IrBuilder three = routed(3);
    const std::string path = dir.write("route.pnet", three.text());
    const ir::NodeIr old_ir = three.build(sources, path);
    live::State live = converged(old_ir);
    find_link(live, "", "veth1")->proxy_arp = false;
    live::Link dummy;
    dummy.netns = "pod-3";
    dummy.name = "dummy0";
    dummy.kind = "dummy";
    live.links.push_back(dummy);
    IrBuilder changed = routed(2);
    changed.pod(PodSpec{"pod-4", "pods", "10.10.1.40", "veth4", false, 1400});
    SourceSet new_sources;
    const std::string new_path = dir.write("new.pnet", changed.text());
    const ir::NodeIr ir = changed.build(new_sources, new_path);

    for (const plan::Plan& p : {plan::make_plan(ir, live), plan::make_destroy_plan(old_ir, live), plan::make_plan(ir, bare_node())}) {
        const std::string text = plan::to_json(p, new_sources);
        SourceSet read_sources;
        std::string error;
        const auto back = plan::from_json(text, read_sources, error);
        INFO(error);
        REQUIRE(back);
        CHECK(plan::to_json(*back, read_sources) == text);
        CHECK(back->ops.size() == p.ops.size());
        CHECK(back->conflicts.size() == p.conflicts.size());
        // The file was read again: locations and excerpts work as before.
        for (std::size_t i = 0; i < p.ops.size(); ++i) {
            CHECK(read_sources.location(back->ops[i].source) == new_sources.location(p.ops[i].source));
            CHECK(read_sources.text(back->ops[i].source) == new_sources.text(p.ops[i].source));
        }
        CHECK(plan::to_text(*back, read_sources) == plan::to_text(p, new_sources));
    }
}

TEST_CASE("plan JSON: a source file that is gone keeps its locations") {
    SourceSet sources;
    const ir::NodeIr ir = routed(3).build(sources, "/nonexistent/podnetc/route.pnet");
    const plan::Plan p = plan::make_plan(ir, bare_node());
    const std::string text = plan::to_json(p, sources);
    SourceSet read_sources;
    std::string error;
    const auto back = plan::from_json(text, read_sources, error);
    REQUIRE(back);
    CHECK(plan::to_json(*back, read_sources) == text);
    CHECK(read_sources.location(back->ops.back().source) == "/nonexistent/podnetc/route.pnet:4:1");
}

TEST_CASE("plan JSON: a source file changed since keeps its locations") {
    const TempDir dir;
    SourceSet sources;
    const std::string path = dir.write("route.pnet", "");
    const ir::NodeIr ir = routed(2).build(sources, path);
    const plan::Plan p = plan::make_plan(ir, bare_node());
    const std::string text = plan::to_json(p, sources);
    dir.write("route.pnet", "# rewritten\n");
    SourceSet read_sources;
    std::string error;
    const auto back = plan::from_json(text, read_sources, error);
    REQUIRE(back);
    CHECK(plan::to_json(*back, read_sources) == text);
}

TEST_CASE("plan JSON: what is not a plan is refused with a reason") {
    SourceSet sources;
    std::string error;
    CHECK_FALSE(plan::from_json("{", sources, error));
    CHECK(error.rfind("invalid plan: ", 0) == 0);
    CHECK_FALSE(plan::from_json(R"({"format": "podnetc-plan/9"})", sources, error));
    CHECK(error == "not a podnetc plan of format podnetc-plan/1 (found 'podnetc-plan/9')");
    const std::string op_with_bad_mac = R"({"format": "podnetc-plan/1", "node": "", "state_fingerprint": "0",
        "ops": [{"step": {"kind": "change_link", "netns": "", "object": {"netns": "", "name": "veth1",
                 "up": null, "mtu": null, "mac": "ee:ee", "master": null, "group": null, "proxy_arp": null,
                 "forwarding": null}}, "reason": "differs", "detail": "", "pod": "", "source": null, "inverse": []}],
        "conflicts": []})";
    CHECK_FALSE(plan::from_json(op_with_bad_mac, sources, error));
    CHECK(error == "invalid plan: ops[0]: field 'mac' is not a valid MAC");
    const std::string unknown_kind = R"({"format": "podnetc-plan/1", "node": "", "state_fingerprint": "0",
        "ops": [{"step": {"kind": "format_disk", "netns": "", "object": {}}, "reason": "missing", "detail": "",
                 "pod": "", "source": null, "inverse": []}], "conflicts": []})";
    CHECK_FALSE(plan::from_json(unknown_kind, sources, error));
    CHECK(error == "invalid plan: ops[0]: unknown step kind 'format_disk'");
    CHECK_FALSE(plan::from_json(R"({"format": "podnetc-plan/1", "node": ""})", sources, error));
    CHECK(error == "invalid plan: missing field 'ops'");
}

TEST_CASE("plan JSON: an object of another kind than its step's is refused by name") {
    SourceSet sources;
    std::string error;
    const auto plan_with_step = [](const std::string& kind, const std::string& netns) {
        return R"({"format": "podnetc-plan/1", "node": "", "state_fingerprint": "0",
        "ops": [{"step": {"kind": ")" + kind + R"(", "netns": ")" + netns + R"(", "object": {"netns": "pod-1",
                 "table": 254, "dst": "0.0.0.0/0", "gateway": "169.254.1.1", "dev": "eth0", "scope": 0,
                 "protocol": 176, "type": 1, "onlink": false, "prefsrc": null, "metric": 0}},
                 "reason": "missing", "detail": "", "pod": "pod-1", "source": null, "inverse": []}],
        "conflicts": []})";
    };
    REQUIRE(plan::from_json(plan_with_step("add_route", "pod-1"), sources, error));
    CHECK_FALSE(plan::from_json(plan_with_step("add_address", "pod-1"), sources, error));
    CHECK(error == "invalid plan: ops[0]: add_address step: its object is not an address (missing field 'local')");
    CHECK_FALSE(plan::from_json(plan_with_step("add_route", "pod-2"), sources, error));
    CHECK(error == R"(invalid plan: ops[0]: add_route step: 'netns' is "pod-2" but its object is in "pod-1")");
}
