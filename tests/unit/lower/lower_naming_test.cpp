// Derived names: stable, kernel-valid, independent of other declarations; and
// lowering as a whole is deterministic.
#include <algorithm>
#include <map>
#include <tuple>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "compiler/lower/naming.hpp"
#include "compiler/net/net_types.hpp"
#include "tests/unit/lower/lower_support.hpp"

using podnetc::test::lower_text;
using podnetc::test::render_kernel;
using podnetc::test::render_model;

// Expected names computed independently (Python: FNV-1a-64, then fmix64, high 52 bits).
TEST_CASE("derived host veths: pn + 13 hex digits of the mixed FNV-1a-64(POD/IFNAME)") {
    const std::string name = podnetc::naming::default_host_veth("pod-1", "eth0");
    CHECK(name == "pnb40e2cd25544b");
    CHECK(podnetc::naming::default_host_veth("pod-1", "eth1") == "pnd11994c34cd29");
    CHECK(name.size() == podnetc::kMaxIfnameBytes);
    CHECK(podnetc::ifname_problem(name).empty());
    CHECK(podnetc::naming::default_host_veth("pod-1", "eth1") != name);
    CHECK(podnetc::naming::default_host_veth("pod-10", "eth0") != name);
}

// A bridge without a MAC of its own takes its lowest port's and changes it when that
// port leaves: the remaining pods' gateway entry goes stale (found by the
// hostile-history kernel test). Expected values computed as above.
TEST_CASE("bridges podnetc creates get a fixed MAC: 02 + 5 bytes of the mixed FNV-1a-64(BRIDGE)") {
    const podnetc::Mac mac = podnetc::naming::bridge_mac("cbr0");
    CHECK(mac.str() == "02:b8:a3:52:36:d0");
    CHECK(podnetc::naming::bridge_mac("pods").str() == "02:ce:7a:c7:f8:04");
    CHECK(!mac.is_multicast());
    CHECK((mac.bytes[0] & 0x02) != 0);  // locally administered

    auto lowered = lower_text("network cbr0 mode bridge subnet 10.0.0.0/24 gateway 10.0.0.1\n"
                              "pod p on cbr0 address 10.0.0.2\n");
    REQUIRE(lowered.ir);
    const auto& links = lowered.ir->links;
    auto bridge = std::find_if(links.begin(), links.end(), [](const auto& l) { return l.name == "cbr0"; });
    REQUIRE(bridge != links.end());
    REQUIRE(bridge->mac);
    CHECK(*bridge->mac == mac);

    // A bridge taken over (adopt) keeps the MAC it has.
    auto adopted = lower_text("network cbr0 mode bridge subnet 10.0.0.0/24 gateway 10.0.0.1 adopt\n"
                              "pod p on cbr0 address 10.0.0.2\n");
    REQUIRE(adopted.ir);
    const auto& adopted_links = adopted.ir->links;
    auto kept = std::find_if(adopted_links.begin(), adopted_links.end(), [](const auto& l) { return l.name == "cbr0"; });
    REQUIRE(kept != adopted_links.end());
    CHECK(!kept->mac);
}

TEST_CASE("mesh interface names: the peer's name when valid, else pm + hash") {
    CHECK(podnetc::naming::mesh_ifname("web-1") == "web-1");
    CHECK(podnetc::naming::mesh_ifname("a-pod-with-a-long-name") == "pmfe3e72827c142");
    CHECK(podnetc::naming::mesh_ifname("a:b").rfind("pm", 0) == 0);
    CHECK(podnetc::naming::mesh_ifname("lo").rfind("pm", 0) == 0);
}

TEST_CASE("interface names skip the ones given explicitly") {
    auto lowered = lower_text("network a mode bridge subnet 10.0.0.0/24\n"
                              "pod p {\n"
                              "  on a address 10.0.0.2\n"
                              "  eth0 on a address 10.0.0.3\n"
                              "  on a address 10.0.0.4\n"
                              "  eth2 on a address 10.0.0.5\n"
                              "  on a address 10.0.0.6\n"
                              "}\n");
    REQUIRE(lowered.ir);
    std::vector<std::string> names;
    for (const auto& attachment : lowered.ir->pods[0].attachments) names.push_back(attachment.ifname);
    CHECK(names == std::vector<std::string>{"eth1", "eth0", "eth3", "eth2", "eth4"});
}

TEST_CASE("adding or removing pods does not rename another pod's host veth") {
    const auto host_veths = [](const std::string& pods) {
        auto lowered = lower_text("network n mode route subnet 10.0.0.0/16\n" + pods);
        REQUIRE(lowered.ir);
        std::map<std::string, std::string> out;
        for (const auto& pod : lowered.ir->pods) out[pod.name] = pod.attachments[0].host_veth;
        return out;
    };
    const auto three = host_veths("pod a on n address 10.0.0.1\npod b on n address 10.0.0.2\npod c on n address 10.0.0.3\n");
    const auto two = host_veths("pod c on n address 10.0.0.3\npod a on n address 10.0.0.1\n");
    CHECK(two.at("a") == three.at("a"));
    CHECK(two.at("c") == three.at("c"));
    CHECK(three.at("a") != three.at("b"));
}

TEST_CASE("lowering is deterministic and sorts kernel objects as ir.hpp documents") {
    const std::string text = "network n mode route subnet 10.0.0.0/16\n"
                             "for i in 1..12 { pod pod-{i} on n address 10.0.0.{i} }\n"
                             "network b mode bridge subnet 10.1.0.0/16 gateway 10.1.0.1\n"
                             "pod z on b address 10.1.0.9\n";
    auto first = lower_text(text);
    auto second = lower_text(text);
    REQUIRE(first.ir);
    REQUIRE(second.ir);
    CHECK(render_kernel(*first.ir) == render_kernel(*second.ir));
    CHECK(render_model(*first.ir) == render_model(*second.ir));
    const auto& ir = *first.ir;
    // Pods stay in file order; namespaces are sorted bytewise.
    CHECK(ir.pods[1].name == "pod-2");
    CHECK(ir.namespaces[1].name == "pod-10");
    CHECK(std::is_sorted(ir.links.begin(), ir.links.end(), [](const auto& x, const auto& y) {
        return std::tie(x.netns, x.name) < std::tie(y.netns, y.name);
    }));
    CHECK(ir.links.front().netns.empty());
    CHECK(std::is_sorted(ir.routes.begin(), ir.routes.end(), [](const auto& x, const auto& y) {
        return std::tie(x.netns, x.dst.addr, x.dst.len, x.dev) < std::tie(y.netns, y.dst.addr, y.dst.len, y.dev);
    }));
    // Exactly one primary end per veth pair.
    std::size_t veths = 0;
    std::size_t primaries = 0;
    for (const auto& link : ir.links) {
        veths += link.kind == podnetc::kernel::kVeth ? 1 : 0;
        primaries += link.primary ? 1 : 0;
    }
    CHECK(primaries * 2 == veths);
}
