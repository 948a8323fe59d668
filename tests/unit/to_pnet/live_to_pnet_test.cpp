// `show --as pnet`: networks and pods inferred from hand-built live states, and
// the notes on what the file cannot express or its plan would still change.
#include <catch2/catch.hpp>

#include <algorithm>

#include "compiler/to_pnet/live_to_pnet.hpp"
#include "tests/unit/live/live_fixtures.hpp"

using namespace podnetc;
using namespace podnetc::fixtures;

namespace {

constexpr std::string_view kHeader =
    "# Adopted from this node's live state by `podnetc show --as pnet`. Pods (and\n"
    "# bridge networks) are marked `adopt`: applying the file takes the existing\n"
    "# objects over instead of creating them.\n";

std::string body(const std::string& pnet) {
    REQUIRE(pnet.substr(0, kHeader.size()) == kHeader);
    return pnet.substr(kHeader.size());
}

std::vector<std::string> notes_of(const live::State& state) { return live::adopting_pnet(state).notes; }

// A mesh of the given pods as podnetc builds it: a pair between every two pods,
// each end named after the peer, /32 routes to the peers' addresses.
live::State mesh(int pods, bool complete) {
    live::State s;
    s.namespaces = {{"", false, ""}};
    auto name = [](int i) { return "pod-" + std::to_string(i); };
    auto addr = [](int i) { return "10.10.1." + std::to_string(9 + i); };
    for (int i = 1; i <= pods; ++i) s.namespaces.push_back({name(i), false, ""});
    for (int i = 1; i <= pods; ++i) {
        for (int j = i + 1; j <= pods; ++j) {
            if (!complete && i == 1 && j == pods) continue;
            for (auto [p, q] : {std::pair{i, j}, std::pair{j, i}}) {
                s.links.push_back(veth(name(p), name(q), name(q), name(p)));
                s.addresses.push_back(address(name(p), name(q), (addr(p) + "/32").c_str()));
                s.routes.push_back(route(name(p), (addr(q) + "/32").c_str(), name(q), std::nullopt, 253));
            }
        }
    }
    return s;
}

}  // namespace

TEST_CASE("pnet: the article's bridge experiment", "[pnet]") {
    const auto inference = live::infer_topology(article_bridge());
    CHECK(notes_of(article_bridge()).empty());
    CHECK(body(live::pnet_declarations(inference)) == R"(
network cbr0 mode bridge subnet 10.10.1.0/24 adopt

pod pod-1 adopt on cbr0 address 10.10.1.10/32 host-veth veth1
pod pod-2 adopt on cbr0 address 10.10.1.11/32 host-veth veth2
)");
}

TEST_CASE("pnet: a bridge with an address is the pods' gateway and fixes the subnet", "[pnet]") {
    live::State s = article_bridge();
    s.addresses.push_back(address("", "cbr0", "10.10.0.1/16"));
    s.routes.clear();
    for (auto& a : s.addresses) {
        if (a.netns != "") a.local.len = 16;
    }
    s.routes.push_back(route("pod-1", "0.0.0.0/0", "eth0", "10.10.0.1"));
    s.routes.push_back(route("pod-2", "0.0.0.0/0", "eth0", "10.10.0.1"));
    for (auto& l : s.links) l.mtu = 9000;
    const auto inference = live::infer_topology(s);
    CHECK(notes_of(s).empty());
    CHECK(body(live::pnet_declarations(inference)) == R"(
network cbr0 mode bridge subnet 10.10.0.0/16 gateway 10.10.0.1 mtu 9000 adopt

pod pod-1 adopt on cbr0 address 10.10.1.10/16 host-veth veth1
pod pod-2 adopt on cbr0 address 10.10.1.11/16 host-veth veth2
)");
}

TEST_CASE("pnet: route mode as podnetc builds it adopts without a note", "[pnet]") {
    const auto inference = live::infer_topology(route_as_podnetc_builds());
    CHECK(notes_of(route_as_podnetc_builds()).empty());
    CHECK(body(live::pnet_declarations(inference)) == R"(
network pods mode route subnet 10.10.1.0/24

pod pod-1 adopt on pods address 10.10.1.10/32 host-veth veth1
pod pod-2 adopt on pods address 10.10.1.11/32 host-veth veth2
)");
}

TEST_CASE("pnet: the article's routed experiment keeps its MACs and says what a plan adds", "[pnet]") {
    CHECK(body(live::to_pnet(article_route_by_hand())) == R"(
network pods mode route subnet 10.10.1.0/24

pod pod-1 adopt on pods address 10.10.1.10/32 host-veth veth1 host-mac 76:95:29:9c:7d:26
pod pod-2 adopt on pods address 10.10.1.11/32 host-veth veth2 host-mac 3e:1e:85:73:de:78

# Notes: what this file does not express, and what a plan would still change.
#   host: ARP proxy_delay of veth1 is 800 ms; the plan will set 0
#   host: ARP proxy_delay of veth2 is 800 ms; the plan will set 0
#   pod-1: permanent neighbour 169.254.1.1 lladdr 76:95:29:9c:7d:26 on eth0 is missing; the plan will add it
#   pod-2: permanent neighbour 169.254.1.1 lladdr 3e:1e:85:73:de:78 on eth0 is missing; the plan will add it
)");
}

TEST_CASE("pnet: a complete mesh; an incomplete one is not a mesh", "[pnet]") {
    const auto complete = live::infer_topology(mesh(3, true));
    CHECK(notes_of(mesh(3, true)).empty());
    CHECK(body(live::pnet_declarations(complete)) == R"(
network mesh mode mesh subnet 10.10.1.0/24

pod pod-1 adopt on mesh address 10.10.1.10/32
pod pod-2 adopt on mesh address 10.10.1.11/32
pod pod-3 adopt on mesh address 10.10.1.12/32
)");
    const auto partial = live::infer_topology(mesh(3, false));
    CHECK(partial.networks.empty());
    CHECK(partial.pods.empty());
    CHECK(notes_of(mesh(3, false)) == std::vector<std::string>{
                               "namespace pod-1: nothing podnetc can express connects it; not a pod of this file",
                               "namespace pod-2: nothing podnetc can express connects it; not a pod of this file",
                               "namespace pod-3: nothing podnetc can express connects it; not a pod of this file",
                               "pods pod-1, pod-2, pod-3: veth pairs between them, but pod-1 and pod-3 are not "
                               "connected, so they do not form a mesh; not expressed",
                           });
}

TEST_CASE("pnet: a pod on two networks, the default route on the second interface", "[pnet]") {
    live::State s = article_bridge();
    live::State routed = route_as_podnetc_builds();
    // pod-1 also gets eth1, routed via host veth r1; its default route leaves through eth1.
    for (auto l : routed.links) {
        if (l.netns == "" && l.name == "veth1") {
            l.name = "r1";
            l.peer_name = "eth1";
            s.links.push_back(l);
        }
        if (l.netns == "pod-1") {
            l.name = "eth1";
            l.peer_name = "r1";
            s.links.push_back(l);
        }
    }
    s.addresses.push_back(address("pod-1", "eth1", "10.20.0.5/32", kOwnedProtocol));
    s.routes.push_back(route("", "10.20.0.5/32", "r1", std::nullopt, 253, kOwnedProtocol));
    std::erase_if(s.routes, [](const live::Route& r) { return r.netns == "pod-1"; });
    s.routes.push_back(route("pod-1", "169.254.1.1/32", "eth1", std::nullopt, 253, kOwnedProtocol));
    s.routes.push_back(route("pod-1", "0.0.0.0/0", "eth1", "169.254.1.1", 0, kOwnedProtocol));
    s.neighbors.push_back(neighbor("pod-1", "eth1", "169.254.1.1", "ee:ee:ee:ee:ee:ee", kOwnedProtocol));
    s.routes.push_back(route("pod-1", "10.10.1.0/24", "eth0", std::nullopt, 253));  // bridge, not default

    const auto inference = live::infer_topology(s);
    CHECK(notes_of(s).empty());
    CHECK(body(live::pnet_declarations(inference)) == R"(
network cbr0 mode bridge subnet 10.10.1.0/24 adopt
network pods mode route subnet 10.20.0.0/24

pod pod-1 adopt {
  eth0 on cbr0 address 10.10.1.10/32 host-veth veth1
  eth1 on pods address 10.20.0.5/32 host-veth r1 default-route
}
pod pod-2 adopt on cbr0 address 10.10.1.11/32 host-veth veth2
)");
}

TEST_CASE("pnet: what the file leaves out is listed, owned leftovers flagged", "[pnet]") {
    live::State s = route_as_podnetc_builds();
    s.routes.push_back(route("pod-1", "192.0.2.0/24", "eth0", "169.254.1.1", 0, 4));
    s.routes.push_back(route("pod-2", "198.51.100.0/24", "eth0", std::nullopt, 253, kOwnedProtocol));
    s.namespaces.push_back({"scratch", false, ""});
    s.links.push_back(veth("", "vx", "?", ""));
    s.links.push_back(link("", "eth9", ""));  // the node's own uplink: not pod networking, no note
    CHECK(notes_of(s) == std::vector<std::string>{
                                 "host: veth vx leads to a namespace without a name; not expressed",
                                 "namespace scratch: it holds no interface but lo; not a pod of this file",
                                 "pod-1: route 192.0.2.0/24 via 169.254.1.1 dev eth0 is not in the file; it stays as "
                                 "it is (foreign)",
                                 "pod-2: route 198.51.100.0/24 dev eth0 carries podnetc's marker but is not in the "
                                 "file; the plan would delete it",
                             });
}

TEST_CASE("pnet: subnets: the pods' own prefix, else the covering one widened to /24 at most", "[pnet]") {
    live::State s = route_as_podnetc_builds();
    for (auto& a : s.addresses) {
        if (a.netns == "pod-2") a.local = *ip::Prefix::parse("10.10.3.10/32");
    }
    for (auto& r : s.routes) {
        if (r.netns == "" && r.dev == "veth2") r.dst = *ip::Prefix::parse("10.10.3.10/32");
    }
    const auto routed = live::infer_topology(s);
    REQUIRE(routed.networks.size() == 1);
    CHECK(routed.networks[0].subnet == *ip::Prefix::parse("10.10.0.0/22"));

    live::State bridged = article_bridge();
    for (auto& a : bridged.addresses) a.local.len = 25;
    const auto bridge = live::infer_topology(bridged);
    REQUIRE(bridge.networks.size() == 1);
    CHECK(bridge.networks[0].subnet == *ip::Prefix::parse("10.10.1.0/25"));
}

TEST_CASE("pnet: every address of a pod interface is written", "[pnet]") {
    live::State s = route_as_podnetc_builds();
    s.addresses.push_back(address("pod-2", "eth0", "10.10.1.99/32", kOwnedProtocol));
    CHECK_THAT(live::to_pnet(s),
               Catch::Contains("pod pod-2 adopt on pods address 10.10.1.11/32 address 10.10.1.99/32 host-veth veth2\n"));
    // Route mode gives every pod address a host route: the one for .99 is missing.
    CHECK(notes_of(s) == std::vector<std::string>{"host: route 10.10.1.99/32 dev veth2 is missing; the plan will add it"});
}

TEST_CASE("pnet: a bridge with several addresses keeps the first as gateway, says so once", "[pnet]") {
    live::State s = article_bridge();
    s.addresses.push_back(address("", "cbr0", "10.10.1.1/24"));
    s.addresses.push_back(address("", "cbr0", "10.10.1.2/24"));
    s.addresses.push_back(address("", "cbr0", "10.10.1.3/24"));
    const auto inference = live::infer_topology(s);
    REQUIRE(inference.networks.size() == 1);
    CHECK(inference.networks[0].gateway == ip::Address::parse_v4("10.10.1.1"));
    CHECK(std::count(inference.notes.begin(), inference.notes.end(),
                     "host: bridge cbr0 has 3 addresses; only 10.10.1.1/24 is expressed (as the gateway)") == 1);
}
