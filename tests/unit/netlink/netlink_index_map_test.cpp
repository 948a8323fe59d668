// The ifindex map: deterministic choices, what deletions take along, the live
// index given back to a recreated link.
#include <catch2/catch.hpp>

#include "runtime/netlink/netlink_index_map.hpp"

namespace podnetc {
namespace {

using rt::IndexMap;

live::Link link(std::string netns, std::int32_t ifindex, std::string name, std::string peer_netns = {},
                std::string peer_name = {}, std::uint32_t group = 0) {
    live::Link l;
    l.netns = std::move(netns);
    l.ifindex = ifindex;
    l.name = std::move(name);
    l.kind = peer_name.empty() ? "" : "veth";
    l.peer_netns = std::move(peer_netns);
    l.peer_name = std::move(peer_name);
    l.group = group;
    return l;
}

live::State node() {
    live::State s;
    s.links = {link("", 1, "lo"),
               link("", 2, "eth0"),
               link("", 7, "veth1", "pod-1", "eth0", 20558),
               link("", 4, "cbr0", {}, {}, 20558),
               link("pod-1", 1, "lo"),
               link("pod-1", 2, "eth0", "", "veth1")};
    return s;
}

TEST_CASE("a new link gets one above the highest index of its namespace", "[netlink][indexmap]") {
    const IndexMap map(node());
    CHECK(map.find("", "veth1") == 7);
    CHECK(map.find("pod-1", "eth0") == 2);
    CHECK(!map.find("pod-2", "eth0"));
    CHECK(map.choose("", "veth2") == 8);
    CHECK(map.choose("pod-1", "eth1") == 3);
    CHECK(map.choose("pod-2", "eth0") == 2);  // unknown namespace: only lo
    CHECK(map.choose("pod-2", "eth0", 2) == 3);
    CHECK(map.choose("", "veth2", 8) == 9);  // the other end of the same pair took 8
    CHECK(map.name_of("", 4) == "cbr0");
    CHECK(!map.name_of("", 5));
}

TEST_CASE("indexes handed out are never handed out again", "[netlink][indexmap]") {
    IndexMap map(node());
    map.add("", "veth2", {8, 0, "", ""});
    CHECK(map.choose("", "veth3") == 9);
    map.remove("", "veth2");
    CHECK(!map.find("", "veth2"));
    CHECK(map.choose("", "veth3") == 9);
    CHECK(map.name_of("", 8) == "veth2");  // a deleted link still has a name in text
}

TEST_CASE("deleting a veth end forgets both ends; a group delete every member", "[netlink][indexmap]") {
    IndexMap map(node());
    map.remove("", "veth1");
    CHECK(!map.find("", "veth1"));
    CHECK(!map.find("pod-1", "eth0"));
    CHECK(map.find("pod-1", "lo") == 1);

    IndexMap grouped(node());
    grouped.remove_group("", 20558);
    CHECK(!grouped.find("", "veth1"));
    CHECK(!grouped.find("", "cbr0"));
    CHECK(!grouped.find("pod-1", "eth0"));
    CHECK(grouped.find("", "eth0") == 2);
}

TEST_CASE("a link recreated after a delete gets its live index back when it is free", "[netlink][indexmap]") {
    IndexMap map(node());
    map.remove("", "veth1");
    CHECK(map.choose("", "veth1") == 7);
    CHECK(map.choose("pod-1", "eth0") == 2);
    CHECK(map.choose("", "veth9") == 8);  // others still go above

    // Taken by another link meanwhile: the next free one above.
    map.add("", "other", {7, 0, "", ""});
    CHECK(map.choose("", "veth1") == 8);
}

TEST_CASE("namespaces created and deleted", "[netlink][indexmap]") {
    IndexMap map(node());
    map.namespace_deleted("pod-1");
    CHECK(!map.find("pod-1", "eth0"));
    CHECK(!map.find("", "veth1"));  // the host end of the pod's veth goes too
    CHECK(map.find("", "cbr0") == 4);

    map.namespace_created("pod-1");
    CHECK(map.choose("pod-1", "eth0") == 2);  // restored
    CHECK(map.choose("pod-1", "eth5") == 3);  // new links stay above remembered ones
    // It holds lo, at 1: an undo sets a re-created namespace's lo back as it was.
    CHECK(map.find("pod-1", "lo") == 1);
    CHECK(map.name_of("pod-1", 1) == "lo");

    map.namespace_created("pod-9");  // never seen before
    CHECK(map.find("pod-9", "lo") == 1);
    CHECK(map.choose("pod-9", "eth0") == 2);
}

TEST_CASE("refresh replaces what exists and keeps what is remembered", "[netlink][indexmap]") {
    IndexMap map(node());
    live::State after;
    after.links = {link("", 1, "lo"), link("", 2, "eth0")};
    map.refresh(after);
    CHECK(!map.find("", "veth1"));
    CHECK(map.choose("", "veth1") == 7);
    CHECK(map.choose("", "veth2") == 8);
    map.set_group("", "eth0", 5);
    map.remove_group("", 5);
    CHECK(!map.find("", "eth0"));
}

}  // namespace
}  // namespace podnetc
