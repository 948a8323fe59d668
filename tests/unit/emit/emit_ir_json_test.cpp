#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "compiler/emit/emit.hpp"
#include "tests/unit/plan/ir_samples.hpp"

using namespace podnetc;
using nlohmann::json;

namespace {

constexpr const char* kRouteFile =
    "network pods mode route subnet 10.10.1.0/24\n"
    "\n"
    "pod pod-1 on pods address 10.10.1.10 host-veth veth1\n"
    "pod pod-2 on pods address 10.10.1.11 host-veth veth2\n";

// The range of the first occurrence of `text` in file `id`.
SourceRange range_of(const SourceSet& sources, FileId id, std::string_view text) {
    const auto offset = sources.file(id).text().find(text);
    REQUIRE(offset != std::string::npos);
    return SourceRange{id, static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(text.size())};
}

// The route sample with every object pointing at the line that asked for it.
ir::NodeIr located_route(const SourceSet& sources, FileId id) {
    ir::NodeIr node = samples::route();
    node.networks[0].range = range_of(sources, id, "network pods");
    for (ir::Pod& pod : node.pods) {
        pod.range = range_of(sources, id, "pod " + pod.name);
        pod.attachments[0].range = range_of(sources, id, pod.name + " on pods");
    }
    for (ir::Namespace& ns : node.namespaces) ns.range = range_of(sources, id, "pod " + ns.name);
    for (ir::Link& link : node.links) link.range = range_of(sources, id, "pod " + link.pod);
    for (ir::Address& a : node.addresses) {
        a.range = range_of(sources, id, "address " + a.local.addr.str());
    }
    for (ir::Route& r : node.routes) r.range = range_of(sources, id, "pod " + r.pod);
    for (ir::Neighbor& n : node.neighbors) n.range = range_of(sources, id, "pod " + n.pod);
    return node;
}

}  // namespace

TEST_CASE("emit_ir_json: parses back with the documented shape") {
    SourceSet sources;
    const FileId id = sources.add("examples/route.pnet", kRouteFile);
    const std::string text = emit_ir_json(located_route(sources, id), sources);
    const json j = json::parse(text);

    CHECK(j["format"] == "podnetc-ir/1");
    CHECK(j["node"] == "");
    REQUIRE(j["networks"].size() == 1);
    CHECK(j["networks"][0] == json::parse(R"({"name": "pods", "mode": "route", "subnet": "10.10.1.0/24",
        "gateway": "169.254.1.1", "bridge": null, "mtu": null, "max_pairs": null, "adopt": false,
        "source": "examples/route.pnet:1:1"})"));

    REQUIRE(j["pods"].size() == 2);
    CHECK(j["pods"][1]["name"] == "pod-2");
    CHECK(j["pods"][1]["source"] == "examples/route.pnet:4:1");
    CHECK(j["pods"][1]["attachments"][0] == json::parse(R"({"network": "pods", "mode": "route", "ifname": "eth0",
        "addresses": ["10.10.1.11/32"], "host_veth": "veth2", "mac": null, "host_mac": "ee:ee:ee:ee:ee:ee",
        "mtu": null, "default_route": true, "source": "examples/route.pnet:4:5"})"));

    CHECK(j["namespaces"] == json::parse(R"([{"name": "pod-1", "adopt": false, "source": "examples/route.pnet:3:1"},
        {"name": "pod-2", "adopt": false, "source": "examples/route.pnet:4:1"}])"));

    REQUIRE(j["links"].size() == 4);
    CHECK(j["links"][0] == json::parse(R"({"netns": "", "name": "veth1", "kind": "veth", "peer_netns": "pod-1",
        "peer_name": "eth0", "primary": true, "master": null, "mac": "ee:ee:ee:ee:ee:ee", "mtu": null, "up": true,
        "proxy_arp": true, "forwarding": true, "proxy_delay_ms": 0, "pod": "pod-1", "network": "pods",
        "adopt": false, "source": "examples/route.pnet:3:1"})"));
    CHECK(j["links"][2]["netns"] == "pod-1");
    CHECK(j["links"][2]["proxy_arp"] == nullptr);
    CHECK(j["links"][2]["proxy_delay_ms"] == nullptr);

    CHECK(j["addresses"][1] == json::parse(R"({"netns": "pod-2", "dev": "eth0", "local": "10.10.1.11/32",
        "pod": "pod-2", "adopt": false, "source": "examples/route.pnet:4:19"})"));
    REQUIRE(j["routes"].size() == 6);
    CHECK(j["routes"][2] == json::parse(R"({"netns": "pod-1", "dst": "0.0.0.0/0", "gateway": "169.254.1.1",
        "dev": "eth0", "scope": "global", "onlink": false, "prefsrc": null, "pod": "pod-1", "adopt": false,
        "source": "examples/route.pnet:3:1"})"));
    CHECK(j["routes"][3]["scope"] == "link");
    CHECK(j["neighbors"][0] == json::parse(R"({"netns": "pod-1", "dev": "eth0", "dst": "169.254.1.1",
        "lladdr": "ee:ee:ee:ee:ee:ee", "pod": "pod-1", "adopt": false, "source": "examples/route.pnet:3:1"})"));
}

TEST_CASE("emit_ir_json: keys in a fixed order, 2-space indent, one trailing newline") {
    SourceSet sources;
    const std::string text = emit_ir_json(samples::bridge(), sources);
    CHECK(text.starts_with("{\n  \"format\": \"podnetc-ir/1\",\n  \"node\": \"\",\n  \"networks\": [\n    {\n"
                           "      \"name\": \"cbr0\",\n"));
    CHECK(text.ends_with("}\n"));
    CHECK(!text.ends_with("\n\n"));
    std::vector<std::string> keys;
    const auto parsed = nlohmann::ordered_json::parse(text);
    for (const auto& [key, value] : parsed.items()) keys.push_back(key);
    CHECK(keys == std::vector<std::string>{"format", "node", "networks", "pods", "namespaces", "links", "addresses",
                                           "routes", "neighbors"});
}

TEST_CASE("emit_ir_json: unknown sources and unset values are null; a bridge has no peer") {
    SourceSet sources;
    ir::NodeIr node = samples::mesh();
    node.node = "worker-1";
    const json j = json::parse(emit_ir_json(node, sources));
    CHECK(j["node"] == "worker-1");
    CHECK(j["networks"][0]["max_pairs"] == 1024);
    CHECK(j["networks"][0]["gateway"] == nullptr);
    CHECK(j["pods"][0]["attachments"][0]["ifname"] == nullptr);
    CHECK(j["pods"][0]["attachments"][0]["host_veth"] == nullptr);
    CHECK(j["links"][0]["source"] == nullptr);
    CHECK(j["links"].size() == 12);

    const json b = json::parse(emit_ir_json(samples::bridge_gateway(), sources));
    CHECK(b["links"][0]["kind"] == "bridge");
    CHECK(b["links"][0]["peer_netns"] == nullptr);
    CHECK(b["links"][0]["peer_name"] == nullptr);
    CHECK(b["addresses"][0]["netns"] == "");
    CHECK(b["addresses"][0]["pod"] == "");
    CHECK(b["routes"][0]["gateway"] == "10.10.1.1");
}

TEST_CASE("emit_ir_json: a file name that is not UTF-8 does not throw") {
    SourceSet sources;
    const FileId id = sources.add("bad-\xff.pnet", kRouteFile);
    ir::NodeIr node = samples::bridge();
    node.networks[0].range = SourceRange{id, 0, 7};
    const json j = json::parse(emit_ir_json(node, sources));
    CHECK(j["networks"][0]["source"] == "bad-\xef\xbf\xbd.pnet:1:1");
}

TEST_CASE("emit_ir_json: deterministic") {
    SourceSet sources;
    CHECK(emit_ir_json(samples::mesh(), sources) == emit_ir_json(samples::mesh(), sources));
}
