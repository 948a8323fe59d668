// From raw per-namespace dumps (ifindexes, nsids) to the name-based live state.
#include <catch2/catch.hpp>

#include <algorithm>

#include <fmt/format.h>

#include "runtime/read/live_assemble.hpp"

using namespace podnetc;
using namespace podnetc::rt;

namespace {

RawLink raw_link(std::int32_t ifindex, const char* name, const char* kind, std::int32_t master = 0,
                 std::int32_t peer = 0, std::optional<std::int32_t> nsid = std::nullopt) {
    RawLink raw;
    raw.link.ifindex = ifindex;
    raw.link.name = name;
    raw.link.kind = kind;
    raw.master_ifindex = master;
    raw.peer_ifindex = peer;
    raw.peer_nsid = nsid;
    return raw;
}

RawRoute raw_route(const char* dst, std::int32_t oif, std::uint32_t table, std::uint8_t protocol) {
    RawRoute raw;
    raw.route.dst = *ip::Prefix::parse(dst);
    raw.route.table = table;
    raw.route.protocol = protocol;
    raw.oif = oif;
    return raw;
}

// The article's bridge node as the kernel reports it: host (cbr0 = 3, veth1 = 5,
// veth2 = 6), pod-1 and pod-2 (eth0 = 2 each). The host knows pod-1 as nsid 0 and
// pod-2 as nsid 1; each pod knows the host as nsid 0.
AssembleInput bridge_node() {
    AssembleInput in;
    in.namespaces = {{"", false, ""}, {"pod-1", true, ""}, {"pod-2", false, ""}};
    NetnsDump host;
    host.netns = "";
    host.links = {raw_link(6, "veth2", "veth", 3, 2, 1), raw_link(3, "cbr0", "bridge"),
                  raw_link(5, "veth1", "veth", 3, 2, 0), raw_link(1, "lo", "")};
    host.nsid_names = {{0, "pod-1"}, {1, "pod-2"}};
    host.neigh_parms = {RawNeighParms{5, 0u}, RawNeighParms{6, 800u}};
    host.routes = {raw_route("10.10.1.0/24", 3, 254, 2), raw_route("10.10.1.1/32", 3, 255, 2),
                   raw_route("10.99.0.0/16", 0, 255, 4)};
    for (const char* pod : {"pod-2", "pod-1"}) {
        NetnsDump dump;
        dump.netns = pod;
        dump.links = {raw_link(2, "eth0", "veth", 0, pod == std::string("pod-1") ? 5 : 6, 0), raw_link(1, "lo", "")};
        dump.nsid_names = {{0, ""}};
        RawAddress address;
        address.address.ifindex = 2;
        address.address.local = *ip::Prefix::parse(pod == std::string("pod-1") ? "10.10.1.10/32" : "10.10.1.11/32");
        dump.addresses = {address};
        RawNeighbor permanent;
        permanent.ifindex = 2;
        permanent.neighbor.dst = *ip::Address::parse_v4("169.254.1.1");
        permanent.neighbor.state = 0x80;
        RawNeighbor learned = permanent;
        learned.neighbor.dst = *ip::Address::parse_v4("10.10.1.1");
        learned.neighbor.state = 0x02;  // reachable
        dump.neighbors = {learned, permanent};
        in.dumps.push_back(dump);
    }
    in.dumps.insert(in.dumps.begin() + 1, host);
    in.ip_forward = false;
    return in;
}

const live::Link& find_link(const live::State& state, const std::string& netns, const std::string& name) {
    const auto it = std::find_if(state.links.begin(), state.links.end(),
                                 [&](const live::Link& l) { return l.netns == netns && l.name == name; });
    REQUIRE(it != state.links.end());
    return *it;
}

}  // namespace

TEST_CASE("assemble: peers, masters and devices by name", "[assemble]") {
    const live::State state = assemble_live_state(bridge_node());
    const live::Link& veth1 = find_link(state, "", "veth1");
    CHECK(veth1.peer_netns == "pod-1");
    CHECK(veth1.peer_name == "eth0");
    CHECK(veth1.master == "cbr0");
    CHECK(veth1.proxy_delay_ms == 0u);
    CHECK(find_link(state, "", "veth2").peer_netns == "pod-2");
    CHECK(find_link(state, "", "veth2").proxy_delay_ms == 800u);
    const live::Link& pod_end = find_link(state, "pod-1", "eth0");
    CHECK(pod_end.peer_netns.empty());  // the host
    CHECK(pod_end.peer_name == "veth1");
    CHECK(find_link(state, "pod-2", "eth0").peer_name == "veth2");
    CHECK(find_link(state, "", "lo").peer_name.empty());
    REQUIRE(state.addresses.size() == 2);
    CHECK(state.addresses[0].netns == "pod-1");
    CHECK(state.addresses[0].dev == "eth0");
    CHECK(state.ip_forward == false);
}

TEST_CASE("assemble: canonical order whatever the dump order", "[assemble]") {
    AssembleInput shuffled = bridge_node();
    std::reverse(shuffled.dumps.begin(), shuffled.dumps.end());
    std::reverse(shuffled.namespaces.begin(), shuffled.namespaces.end());
    for (auto& dump : shuffled.dumps) std::reverse(dump.links.begin(), dump.links.end());
    CHECK(assemble_live_state(shuffled) == assemble_live_state(bridge_node()));

    const live::State state = assemble_live_state(bridge_node());
    std::vector<std::string> order;
    for (const auto& l : state.links) order.push_back((l.netns.empty() ? "host" : l.netns) + "/" + l.name);
    CHECK(order == std::vector<std::string>{"host/cbr0", "host/lo", "host/veth1", "host/veth2", "pod-1/eth0",
                                            "pod-1/lo", "pod-2/eth0", "pod-2/lo"});
    CHECK(state.namespaces.front().name.empty());
    CHECK(state.namespaces[1].owned);
}

TEST_CASE("assemble: kernel-derived local routes and learned neighbours are left out", "[assemble]") {
    const live::State state = assemble_live_state(bridge_node());
    std::vector<std::string> routes;
    for (const auto& r : state.routes) routes.push_back(fmt::format("{} t{} {}", r.dst.str(), r.table, r.dev));
    // The local-table route with protocol kernel is gone; the static one there stays.
    CHECK(routes == std::vector<std::string>{"10.10.1.0/24 t254 cbr0", "10.99.0.0/16 t255 "});
    REQUIRE(state.neighbors.size() == 2);
    for (const auto& n : state.neighbors) CHECK(n.dst == *ip::Address::parse_v4("169.254.1.1"));
}

TEST_CASE("assemble: a peer in a namespace without a name is '?'", "[assemble]") {
    AssembleInput in = bridge_node();
    in.dumps[1].nsid_names.erase(1);  // the host cannot name pod-2's nsid
    const live::State state = assemble_live_state(in);
    const live::Link& veth2 = find_link(state, "", "veth2");
    CHECK(veth2.peer_netns == "?");
    CHECK(veth2.peer_name.empty());
}

TEST_CASE("assemble: one namespace only, peers still named from the others", "[assemble]") {
    AssembleInput in = bridge_node();
    in.only_netns = "pod-1";
    const live::State state = assemble_live_state(in);
    REQUIRE(state.namespaces.size() == 1);
    CHECK(state.namespaces[0].name == "pod-1");
    for (const auto& l : state.links) CHECK(l.netns == "pod-1");
    CHECK(find_link(state, "pod-1", "eth0").peer_name == "veth1");
    CHECK(state.routes.empty());
}
