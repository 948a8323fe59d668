// The encoder, read back with libmnl: every step kind, its flags and exactly its
// attributes; pinned ifindexes; batches; buffers that are too small.
#include <catch2/catch.hpp>

#include <arpa/inet.h>

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sys/socket.h>

#include <vector>

#include <fmt/format.h>

#include "compiler/objects/ownership.hpp"
#include "tests/unit/netlink/netlink_test_support.hpp"
#include "tests/unit/plan/plan_samples.hpp"

namespace podnetc {
namespace {

using plan::StepKind;
using testing::Attrs;
using testing::attrs_of;
using testing::Encoding;
using testing::header_of;
using testing::nested;

constexpr std::uint16_t kRequestAck = NLM_F_REQUEST | NLM_F_ACK;

Mac mac(const char* text) { return Mac::parse(text).value(); }
ip::Address ipv4(const char* text) { return ip::Address::parse_v4(text).value(); }
ip::Prefix prefix(const char* text) { return ip::Prefix::parse(text).value(); }
std::vector<std::uint8_t> bytes_of(const Mac& m) { return {m.bytes.begin(), m.bytes.end()}; }

live::Link live_link(std::string netns, std::int32_t ifindex, std::string name, std::string kind = {}) {
    live::Link link;
    link.netns = std::move(netns);
    link.ifindex = ifindex;
    link.name = std::move(name);
    link.kind = std::move(kind);
    return link;
}

plan::Step host_veth(const char* name, const char* pod) {
    return samples::routed_pod_ops({pod, "10.10.1.10/32", name}).front().step;
}

plan::LinkChange change(const char* netns, const char* name) {
    plan::LinkChange c;
    c.netns = netns;
    c.name = name;
    return c;
}

TEST_CASE("a veth pair is one RTM_NEWLINK with the peer placed in the pod", "[netlink][encode]") {
    Encoding e;
    const nlmsghdr* m = e.encode(host_veth("veth1", "pod-1"), 42);
    REQUIRE(e.result.ok());
    CHECK(e.result.length == m->nlmsg_len);
    CHECK(e.result.length % 4 == 0);
    CHECK(m->nlmsg_type == RTM_NEWLINK);
    CHECK(m->nlmsg_flags == (kRequestAck | NLM_F_CREATE | NLM_F_EXCL));
    CHECK(m->nlmsg_seq == 42);
    CHECK(m->nlmsg_pid == 0);

    const auto h = header_of<ifinfomsg>(m);
    CHECK(h.ifi_family == AF_UNSPEC);
    CHECK(h.ifi_index == 2);  // the host has only lo (1)
    CHECK(h.ifi_flags == IFF_UP);
    CHECK(h.ifi_change == IFF_UP);

    const Attrs a = attrs_of(m, sizeof(ifinfomsg));
    CHECK(a.order == std::vector<std::uint16_t>{IFLA_IFNAME, IFLA_GROUP, IFLA_ADDRESS, IFLA_LINKINFO});
    CHECK(a.str(IFLA_IFNAME) == "veth1");
    CHECK(a.u32(IFLA_GROUP) == kOwnedLinkGroup);
    CHECK(a.bytes(IFLA_ADDRESS) == bytes_of(mac("ee:ee:ee:ee:ee:ee")));

    const Attrs info = nested(a.at(IFLA_LINKINFO));
    CHECK(info.order == std::vector<std::uint16_t>{IFLA_INFO_KIND, IFLA_INFO_DATA});
    CHECK(info.str(IFLA_INFO_KIND) == "veth");
    const Attrs data = nested(info.at(IFLA_INFO_DATA));
    REQUIRE(data.order == std::vector<std::uint16_t>{VETH_INFO_PEER});

    // VETH_INFO_PEER: an ifinfomsg, then the peer's attributes.
    const nlattr* peer = data.at(VETH_INFO_PEER);
    REQUIRE(mnl_attr_get_payload_len(peer) >= sizeof(ifinfomsg));
    ifinfomsg peer_header;
    std::memcpy(&peer_header, mnl_attr_get_payload(peer), sizeof peer_header);
    CHECK(peer_header.ifi_index == 2);  // the pod has only lo (1)
    CHECK(peer_header.ifi_flags == 0);  // IFF_UP here is ENOTCONN
    CHECK(peer_header.ifi_change == 0);
    const auto* after_header = static_cast<const std::byte*>(mnl_attr_get_payload(peer)) + sizeof(ifinfomsg);
    const Attrs p = testing::attrs_in(after_header, mnl_attr_get_payload_len(peer) - sizeof(ifinfomsg));
    CHECK(p.order == std::vector<std::uint16_t>{IFLA_IFNAME, IFLA_NET_NS_FD, IFLA_GROUP});
    CHECK(p.str(IFLA_IFNAME) == "eth0");
    CHECK(p.u32(IFLA_NET_NS_FD) == 11);
    CHECK(p.u32(IFLA_GROUP) == kOwnedLinkGroup);

    // Later requests of the batch can address both ends.
    CHECK(e.indexes.find("", "veth1") == 2);
    CHECK(e.indexes.find("pod-1", "eth0") == 2);
}

TEST_CASE("a bridge, and a veth enslaved to it at creation with both ends on the host", "[netlink][encode]") {
    Encoding e;
    plan::LinkCreate bridge;
    bridge.kind = kernel::kBridge;
    bridge.end = plan::LinkEnd{"", "cbr0", std::nullopt, 1450, kOwnedLinkGroup};
    const nlmsghdr* m = e.encode(plan::CreateLink{bridge});
    REQUIRE(e.result.ok());
    CHECK(header_of<ifinfomsg>(m).ifi_index == 2);
    CHECK(header_of<ifinfomsg>(m).ifi_change == 0);  // not up: no flags at all
    Attrs a = attrs_of(m, sizeof(ifinfomsg));
    CHECK(a.order == std::vector<std::uint16_t>{IFLA_IFNAME, IFLA_GROUP, IFLA_MTU, IFLA_LINKINFO});
    CHECK(a.u32(IFLA_MTU) == 1450);
    const Attrs info = nested(a.at(IFLA_LINKINFO));
    CHECK(info.order == std::vector<std::uint16_t>{IFLA_INFO_KIND});
    CHECK(info.str(IFLA_INFO_KIND) == "bridge");

    plan::LinkCreate pair;
    pair.kind = kernel::kVeth;
    pair.end = plan::LinkEnd{"", "veth1", std::nullopt, 0, 0};
    pair.peer = plan::LinkEnd{"", "veth1p", mac("02:00:00:00:00:01"), 1400, 0};
    pair.master = "cbr0";
    m = e.encode(plan::CreateLink{pair});
    REQUIRE(e.result.ok());
    CHECK(header_of<ifinfomsg>(m).ifi_index == 3);
    a = attrs_of(m, sizeof(ifinfomsg));
    CHECK(a.order == std::vector<std::uint16_t>{IFLA_IFNAME, IFLA_MASTER, IFLA_LINKINFO});
    CHECK(a.u32(IFLA_MASTER) == 2);
    const nlattr* peer = nested(nested(a.at(IFLA_LINKINFO)).at(IFLA_INFO_DATA)).at(VETH_INFO_PEER);
    ifinfomsg peer_header;
    std::memcpy(&peer_header, mnl_attr_get_payload(peer), sizeof peer_header);
    CHECK(peer_header.ifi_index == 4);  // same namespace: the next one after the primary's
    const auto* after_header = static_cast<const std::byte*>(mnl_attr_get_payload(peer)) + sizeof(ifinfomsg);
    const Attrs p = testing::attrs_in(after_header, mnl_attr_get_payload_len(peer) - sizeof(ifinfomsg));
    CHECK(p.order == std::vector<std::uint16_t>{IFLA_IFNAME, IFLA_ADDRESS, IFLA_MTU});  // no IFLA_NET_NS_FD
    CHECK(e.indexes.find("", "veth1p") == 4);
}

TEST_CASE("change_link is one RTM_SETLINK by ifindex with the devconf nested under AF_INET", "[netlink][encode]") {
    live::State live;
    live.links = {live_link("", 1, "lo"), live_link("", 5, "veth1", "veth"), live_link("", 9, "cbr0", "bridge")};
    Encoding e(live);

    plan::LinkChange c = change("", "veth1");
    c.up = true;
    c.mtu = 1450;
    c.mac = mac("02:00:00:00:00:05");
    c.master = "cbr0";
    c.group = kOwnedLinkGroup;
    c.proxy_arp = true;
    c.forwarding = false;
    const nlmsghdr* m = e.encode(plan::ChangeLink{c}, 7);
    REQUIRE(e.result.ok());
    CHECK(m->nlmsg_type == RTM_SETLINK);
    CHECK(m->nlmsg_flags == kRequestAck);
    const auto h = header_of<ifinfomsg>(m);
    CHECK(h.ifi_index == 5);
    CHECK(h.ifi_flags == IFF_UP);
    CHECK(h.ifi_change == IFF_UP);
    const Attrs a = attrs_of(m, sizeof(ifinfomsg));
    CHECK(!a.has(IFLA_IFNAME));  // with an index, a name would rename the link
    CHECK(a.order == std::vector<std::uint16_t>{IFLA_MTU, IFLA_ADDRESS, IFLA_MASTER, IFLA_GROUP, IFLA_AF_SPEC});
    CHECK(a.u32(IFLA_MTU) == 1450);
    CHECK(a.u32(IFLA_MASTER) == 9);
    CHECK(a.u32(IFLA_GROUP) == kOwnedLinkGroup);
    const Attrs af = nested(a.at(IFLA_AF_SPEC));
    REQUIRE(af.order == std::vector<std::uint16_t>{AF_INET});
    const Attrs inet = nested(af.at(AF_INET));
    REQUIRE(inet.order == std::vector<std::uint16_t>{IFLA_INET_CONF});
    const Attrs conf = nested(inet.at(IFLA_INET_CONF));
    // The type of each entry is its devconf index, 1-based (linux/ip.h).
    CHECK(conf.order == std::vector<std::uint16_t>{1, 3});
    CHECK(conf.u32(IPV4_DEVCONF_FORWARDING) == 0);
    CHECK(conf.u32(IPV4_DEVCONF_PROXY_ARP) == 1);

    SECTION("down, and detached from the bridge (master 0)") {
        plan::LinkChange d = change("", "veth1");
        d.up = false;
        d.master = "";
        m = e.encode(plan::ChangeLink{d});
        REQUIRE(e.result.ok());
        CHECK(header_of<ifinfomsg>(m).ifi_flags == 0);
        CHECK(header_of<ifinfomsg>(m).ifi_change == IFF_UP);
        const Attrs da = attrs_of(m, sizeof(ifinfomsg));
        CHECK(da.order == std::vector<std::uint16_t>{IFLA_MASTER});
        CHECK(da.u32(IFLA_MASTER) == 0);
    }
    SECTION("only devconf: the up flag is left alone") {
        plan::LinkChange d = change("", "veth1");
        d.forwarding = true;
        m = e.encode(plan::ChangeLink{d});
        REQUIRE(e.result.ok());
        CHECK(header_of<ifinfomsg>(m).ifi_change == 0);
        const Attrs conf_only = nested(nested(nested(attrs_of(m, sizeof(ifinfomsg)).at(IFLA_AF_SPEC)).at(AF_INET))
                                           .at(IFLA_INET_CONF));
        CHECK(conf_only.order == std::vector<std::uint16_t>{IPV4_DEVCONF_FORWARDING});
    }
}

TEST_CASE("delete_link by ifindex takes the veth peer along; a group delete is ifindex 0 + IFLA_GROUP",
          "[netlink][encode]") {
    live::State live;
    live::Link veth = live_link("", 5, "veth1", "veth");
    veth.peer_netns = "pod-1";
    veth.peer_name = "eth0";
    veth.group = kOwnedLinkGroup;
    live::Link eth0 = live_link("pod-1", 2, "eth0", "veth");
    eth0.peer_netns = "";
    eth0.peer_name = "veth1";
    live::Link bridge = live_link("", 6, "cbr0", "bridge");
    bridge.group = kOwnedLinkGroup;
    live.links = {live_link("", 1, "lo"), veth, eth0, bridge, live_link("", 7, "other", "veth")};
    Encoding e(live);

    const nlmsghdr* m = e.encode(plan::DeleteLink{plan::LinkDelete{"", "veth1", std::nullopt}});
    REQUIRE(e.result.ok());
    CHECK(m->nlmsg_type == RTM_DELLINK);
    CHECK(m->nlmsg_flags == kRequestAck);
    CHECK(header_of<ifinfomsg>(m).ifi_index == 5);
    CHECK(attrs_of(m, sizeof(ifinfomsg)).order.empty());
    CHECK(!e.indexes.find("", "veth1"));
    CHECK(!e.indexes.find("pod-1", "eth0"));
    CHECK(e.indexes.name_of("", 5) == "veth1");  // still named in text output

    m = e.encode(plan::DeleteLink{plan::LinkDelete{"", "", kOwnedLinkGroup}});
    REQUIRE(e.result.ok());
    CHECK(header_of<ifinfomsg>(m).ifi_index == 0);
    const Attrs a = attrs_of(m, sizeof(ifinfomsg));
    CHECK(a.order == std::vector<std::uint16_t>{IFLA_GROUP});
    CHECK(a.u32(IFLA_GROUP) == kOwnedLinkGroup);
    CHECK(!e.indexes.find("", "cbr0"));
    CHECK(e.indexes.find("", "other") == 7);
}

TEST_CASE("set_neigh_parms is RTM_SETNEIGHTBL for arp_cache with the device's proxy_delay", "[netlink][encode]") {
    live::State live;
    live.links = {live_link("", 4, "veth1", "veth")};
    Encoding e(live);
    const nlmsghdr* m = e.encode(plan::SetNeighParms{plan::NeighParms{"", "veth1", 0}});
    REQUIRE(e.result.ok());
    CHECK(m->nlmsg_type == RTM_SETNEIGHTBL);
    CHECK(m->nlmsg_flags == kRequestAck);
    CHECK(header_of<ndtmsg>(m).ndtm_family == AF_INET);
    const Attrs a = attrs_of(m, sizeof(ndtmsg));
    CHECK(a.order == std::vector<std::uint16_t>{NDTA_NAME, NDTA_PARMS});
    CHECK(a.str(NDTA_NAME) == "arp_cache");
    const Attrs parms = nested(a.at(NDTA_PARMS));
    CHECK(parms.order == std::vector<std::uint16_t>{NDTPA_IFINDEX, NDTPA_PROXY_DELAY});
    CHECK(parms.u32(NDTPA_IFINDEX) == 4);
    CHECK(mnl_attr_get_payload_len(parms.at(NDTPA_PROXY_DELAY)) == 8);  // u64 msecs
    CHECK(parms.u64(NDTPA_PROXY_DELAY) == 0);
}

TEST_CASE("addresses: flags per kind, IFA_LOCAL and IFA_ADDRESS, IFA_PROTO except on delete", "[netlink][encode]") {
    live::State live;
    live.links = {live_link("pod-1", 2, "eth0", "veth")};
    Encoding e(live);
    kernel::Address a{.netns = "pod-1", .dev = "eth0", .local = prefix("10.10.1.10/24"), .peer = std::nullopt, .scope = 0, .protocol = kOwnedProtocol};

    const auto check_common = [&](const nlmsghdr* m) {
        const auto h = header_of<ifaddrmsg>(m);
        CHECK(h.ifa_family == AF_INET);
        CHECK(h.ifa_prefixlen == 24);
        CHECK(h.ifa_index == 2);
        CHECK(h.ifa_scope == 0);
        CHECK(h.ifa_flags == 0);
    };
    const nlmsghdr* m = e.encode(plan::AddAddress{a});
    REQUIRE(e.result.ok());
    CHECK(m->nlmsg_type == RTM_NEWADDR);
    CHECK(m->nlmsg_flags == (kRequestAck | NLM_F_CREATE | NLM_F_EXCL));
    check_common(m);
    Attrs at = attrs_of(m, sizeof(ifaddrmsg));
    CHECK(at.order == std::vector<std::uint16_t>{IFA_LOCAL, IFA_ADDRESS, IFA_PROTO});
    CHECK(ntohl(at.u32(IFA_LOCAL)) == ipv4("10.10.1.10").v4_value());
    CHECK(ntohl(at.u32(IFA_ADDRESS)) == ipv4("10.10.1.10").v4_value());
    CHECK(at.u8(IFA_PROTO) == kOwnedProtocol);

    m = e.encode(plan::ReplaceAddress{a});
    REQUIRE(e.result.ok());
    CHECK(m->nlmsg_flags == (kRequestAck | NLM_F_CREATE | NLM_F_REPLACE));

    a.peer = ipv4("10.10.1.1");
    m = e.encode(plan::DeleteAddress{a});
    REQUIRE(e.result.ok());
    CHECK(m->nlmsg_type == RTM_DELADDR);
    CHECK(m->nlmsg_flags == kRequestAck);
    check_common(m);
    at = attrs_of(m, sizeof(ifaddrmsg));
    CHECK(at.order == std::vector<std::uint16_t>{IFA_LOCAL, IFA_ADDRESS});
    CHECK(ntohl(at.u32(IFA_ADDRESS)) == ipv4("10.10.1.1").v4_value());
}

TEST_CASE("routes: rtmsg fields, only the attributes that are set", "[netlink][encode]") {
    live::State live;
    live.links = {live_link("", 5, "veth1", "veth"), live_link("pod-1", 2, "eth0", "veth")};
    Encoding e(live);

    SECTION("the host's /32 route to a pod") {
        const auto ops = samples::routed_pod_ops({"pod-1", "10.10.1.10/32", "veth1"});
        const kernel::Route r = plan::object_of<kernel::Route>(ops[3].step);
        const nlmsghdr* m = e.encode(plan::AddRoute{r});
        REQUIRE(e.result.ok());
        CHECK(m->nlmsg_type == RTM_NEWROUTE);
        CHECK(m->nlmsg_flags == (kRequestAck | NLM_F_CREATE | NLM_F_EXCL));
        const auto h = header_of<rtmsg>(m);
        CHECK(h.rtm_family == AF_INET);
        CHECK(h.rtm_dst_len == 32);
        CHECK(h.rtm_src_len == 0);
        CHECK(h.rtm_table == RT_TABLE_MAIN);
        CHECK(h.rtm_protocol == kOwnedProtocol);
        CHECK(h.rtm_scope == RT_SCOPE_LINK);
        CHECK(h.rtm_type == RTN_UNICAST);
        CHECK(h.rtm_flags == 0);
        const Attrs a = attrs_of(m, sizeof(rtmsg));
        CHECK(a.order == std::vector<std::uint16_t>{RTA_DST, RTA_OIF});
        CHECK(ntohl(a.u32(RTA_DST)) == ipv4("10.10.1.10").v4_value());
        CHECK(a.u32(RTA_OIF) == 5);
    }
    SECTION("a default route via an onlink gateway, with metric, prefsrc and a table above 255") {
        kernel::Route r;
        r.netns = "pod-1";
        r.table = 1000;
        r.dst = prefix("0.0.0.0/0");
        r.gateway = ipv4("169.254.1.1");
        r.dev = "eth0";
        r.flags |= kernel::kOnlink;
        r.prefsrc = ipv4("10.10.1.10");
        r.metric = 100;
        r.protocol = kOwnedProtocol;
        const nlmsghdr* m = e.encode(plan::ReplaceRoute{r});
        REQUIRE(e.result.ok());
        CHECK(m->nlmsg_flags == (kRequestAck | NLM_F_CREATE | NLM_F_REPLACE));
        const auto h = header_of<rtmsg>(m);
        CHECK(h.rtm_dst_len == 0);
        CHECK(h.rtm_table == RT_TABLE_UNSPEC);
        CHECK(h.rtm_flags == RTNH_F_ONLINK);
        const Attrs a = attrs_of(m, sizeof(rtmsg));
        CHECK(a.order == std::vector<std::uint16_t>{RTA_TABLE, RTA_GATEWAY, RTA_OIF, RTA_PREFSRC, RTA_PRIORITY});
        CHECK(a.u32(RTA_TABLE) == 1000);
        CHECK(ntohl(a.u32(RTA_GATEWAY)) == ipv4("169.254.1.1").v4_value());
        CHECK(ntohl(a.u32(RTA_PREFSRC)) == ipv4("10.10.1.10").v4_value());
        CHECK(a.u32(RTA_PRIORITY) == 100);
    }
    SECTION("a delete names the route exactly, protocol included") {
        kernel::Route r;
        r.netns = "";
        r.dst = prefix("10.10.1.10/32");
        r.dev = "veth1";
        r.scope = RT_SCOPE_LINK;
        r.protocol = kOwnedProtocol;
        const nlmsghdr* m = e.encode(plan::DeleteRoute{r});
        REQUIRE(e.result.ok());
        CHECK(m->nlmsg_type == RTM_DELROUTE);
        CHECK(m->nlmsg_flags == kRequestAck);
        CHECK(header_of<rtmsg>(m).rtm_protocol == kOwnedProtocol);
        CHECK(header_of<rtmsg>(m).rtm_scope == RT_SCOPE_LINK);
        CHECK(attrs_of(m, sizeof(rtmsg)).order == std::vector<std::uint16_t>{RTA_DST, RTA_OIF});
    }
    SECTION("a route without a device (blackhole) has no RTA_OIF") {
        kernel::Route r;
        r.netns = "";
        r.dst = prefix("10.99.0.0/16");
        r.type = RTN_BLACKHOLE;
        const nlmsghdr* m = e.encode(plan::AddRoute{r});
        REQUIRE(e.result.ok());
        CHECK(header_of<rtmsg>(m).rtm_type == RTN_BLACKHOLE);
        CHECK(attrs_of(m, sizeof(rtmsg)).order == std::vector<std::uint16_t>{RTA_DST});
    }
}

TEST_CASE("neighbours: state, lladdr and protocol; a delete names only the entry", "[netlink][encode]") {
    live::State live;
    live.links = {live_link("pod-1", 2, "eth0", "veth")};
    Encoding e(live);
    const kernel::Neighbor n{.netns = "pod-1", .dev = "eth0", .dst = ipv4("169.254.1.1"), .lladdr = mac("ee:ee:ee:ee:ee:ee"), .state = NUD_PERMANENT, .protocol = kOwnedProtocol};
    const nlmsghdr* m = e.encode(plan::AddNeighbor{n});
    REQUIRE(e.result.ok());
    CHECK(m->nlmsg_type == RTM_NEWNEIGH);
    // A replace even for a new entry: a learned one may already hold the key (netlink_encode.cpp).
    CHECK(m->nlmsg_flags == (kRequestAck | NLM_F_CREATE | NLM_F_REPLACE));
    auto h = header_of<ndmsg>(m);
    CHECK(h.ndm_family == AF_INET);
    CHECK(h.ndm_ifindex == 2);
    CHECK(h.ndm_state == NUD_PERMANENT);
    CHECK(h.ndm_flags == 0);
    Attrs a = attrs_of(m, sizeof(ndmsg));
    CHECK(a.order == std::vector<std::uint16_t>{NDA_DST, NDA_LLADDR, NDA_PROTOCOL});
    CHECK(ntohl(a.u32(NDA_DST)) == ipv4("169.254.1.1").v4_value());
    CHECK(a.bytes(NDA_LLADDR) == bytes_of(mac("ee:ee:ee:ee:ee:ee")));
    CHECK(a.u8(NDA_PROTOCOL) == kOwnedProtocol);

    m = e.encode(plan::ReplaceNeighbor{n});
    CHECK(m->nlmsg_flags == (kRequestAck | NLM_F_CREATE | NLM_F_REPLACE));

    m = e.encode(plan::DeleteNeighbor{n});
    REQUIRE(e.result.ok());
    CHECK(m->nlmsg_type == RTM_DELNEIGH);
    CHECK(m->nlmsg_flags == kRequestAck);
    h = header_of<ndmsg>(m);
    CHECK(h.ndm_ifindex == 2);
    CHECK(h.ndm_state == 0);
    CHECK(attrs_of(m, sizeof(ndmsg)).order == std::vector<std::uint16_t>{NDA_DST});
}

TEST_CASE("namespace steps are not netlink, but keep the ifindex map in step", "[netlink][encode]") {
    live::State live;
    live::Link veth = live_link("", 5, "veth1", "veth");
    veth.peer_netns = "pod-1";
    veth.peer_name = "eth0";
    live::Link eth0 = live_link("pod-1", 2, "eth0", "veth");
    eth0.peer_netns = "";
    eth0.peer_name = "veth1";
    live.links = {veth, eth0, live_link("pod-1", 1, "lo")};
    Encoding e(live);

    e.encode(plan::DeleteNetns{plan::NetnsSpec{"pod-1"}});
    CHECK(e.result.status == rt::EncodeStatus::not_netlink);
    CHECK(e.result.length == 0);
    CHECK(e.result.error == "delete_netns is a namespace operation, not a netlink request");
    CHECK(!e.indexes.find("pod-1", "eth0"));
    CHECK(!e.indexes.find("", "veth1"));  // a namespace takes its veths' other ends along

    e.encode(plan::CreateNetns{plan::NetnsSpec{"pod-1"}});
    CHECK(e.result.status == rt::EncodeStatus::not_netlink);
    CHECK(e.indexes.choose("pod-1", "eth0") == 2);  // its old index, free again
    CHECK(e.indexes.choose("pod-1", "eth1") == 3);

    for (const plan::Step& step : {plan::Step{plan::RegisterNetns{plan::NetnsSpec{"pod-2"}}},
                                   plan::Step{plan::UnregisterNetns{plan::NetnsSpec{"pod-2"}}}}) {
        e.encode(step);
        CHECK(e.result.status == rt::EncodeStatus::not_netlink);
        CHECK(!rt::is_netlink(step.kind()));
    }
    CHECK(rt::is_netlink(StepKind::create_link));
}

TEST_CASE("steps that cannot be encoded say why and change nothing", "[netlink][encode]") {
    Encoding e;
    SECTION("a link the map does not know") {
        kernel::Address a{.netns = "pod-1", .dev = "eth9", .local = prefix("10.0.0.1/32"), .peer = std::nullopt, .scope = 0, .protocol = 0};
        e.encode(plan::AddAddress{a});
        CHECK(e.result.status == rt::EncodeStatus::unknown_link);
        CHECK(e.result.error == "no link eth9 in namespace pod-1");
    }
    SECTION("a master that does not exist") {
        plan::LinkCreate c = plan::object_of<plan::LinkCreate>(host_veth("veth1", "pod-1"));
        c.master = "cbr0";
        e.encode(plan::CreateLink{c});
        CHECK(e.result.status == rt::EncodeStatus::unknown_link);
        CHECK(e.result.error == "no link cbr0 in namespace host");
        CHECK(!e.indexes.find("", "veth1"));
    }
    SECTION("no descriptor for the peer's namespace") {
        e.encode(host_veth("veth9", "pod-9"));
        CHECK(e.result.status == rt::EncodeStatus::unknown_netns);
        CHECK(e.result.error == "no descriptor for namespace pod-9");
        CHECK(!e.indexes.find("", "veth9"));
    }
    SECTION("a veth without a peer") {
        plan::LinkCreate c = plan::object_of<plan::LinkCreate>(host_veth("veth1", "pod-1"));
        c.peer.reset();
        e.encode(plan::CreateLink{c});
        CHECK(e.result.status == rt::EncodeStatus::invalid_step);
    }
}

TEST_CASE("a batch without room for the message is left as it was, then the step encodes", "[netlink][encode]") {
    Encoding reference;
    reference.encode(host_veth("veth1", "pod-1"));
    REQUIRE(reference.result.ok());
    const std::vector<std::byte> expected(reference.bytes().begin(), reference.bytes().end());

    Encoding e;
    for (std::size_t size = 0; size < expected.size(); ++size) {
        rt::nl::RequestBatch batch(std::span{e.buffer}.first(size));
        const auto r = rt::encode(host_veth("veth1", "pod-1"), e.indexes, e.fds, batch);
        REQUIRE(r.status == rt::EncodeStatus::no_room);
        CHECK(r.length == 0);
        CHECK(r.error == fmt::format("the message does not fit in {} bytes", size));
        CHECK(batch.empty());
        REQUIRE(!e.indexes.find("", "veth1"));
    }
    rt::nl::RequestBatch batch(std::span{e.buffer}.first(expected.size()));
    const auto r = rt::encode(host_veth("veth1", "pod-1"), e.indexes, e.fds, batch);
    REQUIRE(r.ok());
    CHECK(r.length == expected.size());
    REQUIRE(batch.count() == 1);
    batch.request(0).nlmsg_seq = 1;  // as the reference was numbered
    CHECK(std::equal(expected.begin(), expected.end(), e.buffer.begin()));

    SECTION("and a batch over a misaligned buffer is refused, not written") {
        Encoding m;
        rt::nl::RequestBatch misaligned_batch(std::span{m.buffer}.subspan(2));
        const auto misaligned = rt::encode(host_veth("veth1", "pod-1"), m.indexes, m.fds, misaligned_batch);
        CHECK(misaligned.status == rt::EncodeStatus::bad_buffer);
        CHECK(misaligned_batch.empty());
        CHECK(!m.indexes.find("", "veth1"));
    }
}

TEST_CASE("a pod's steps go into one batch back to back", "[netlink][encode]") {
    const plan::Plan plan = samples::route_plan();
    Encoding e;
    rt::nl::RequestBatch batch(e.buffer);
    std::vector<std::uint16_t> types;
    for (const plan::Op& op : plan.ops) {
        if (!rt::is_netlink(op.step.kind()) || op.step.netns() != "pod-1") {
            // Keep the map in step with what the other namespaces' batches do.
            alignas(8) std::array<std::byte, 1024> elsewhere{};
            rt::nl::RequestBatch other(elsewhere);
            rt::encode(op.step, e.indexes, e.fds, other);
            continue;
        }
        const std::size_t before = batch.count();
        const auto r = rt::encode(op.step, e.indexes, e.fds, batch);
        REQUIRE(r.ok());
        REQUIRE(batch.count() == before + 1);
        CHECK(r.length == NLMSG_ALIGN(batch.request(before).nlmsg_len));
    }
    const auto all = batch.bytes(0, batch.count());
    int left = static_cast<int>(all.size());
    for (auto* m = reinterpret_cast<const nlmsghdr*>(all.data()); mnl_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left)) {
        CHECK((m->nlmsg_flags & kRequestAck) == kRequestAck);
        types.push_back(m->nlmsg_type);
    }
    CHECK(left == 0);
    CHECK(types == std::vector<std::uint16_t>{RTM_SETLINK, RTM_NEWADDR, RTM_NEWNEIGH, RTM_NEWROUTE, RTM_NEWROUTE});
}

TEST_CASE("encoding is deterministic: the same plan and live state give the same bytes", "[netlink][encode]") {
    live::State live;
    live.links = {live_link("", 1, "lo"), live_link("", 2, "eth0"), live_link("", 17, "cni0", "bridge")};
    const auto encode_all = [&] {
        Encoding e(live);
        std::vector<std::byte> all;
        std::uint32_t seq = 1;
        for (const plan::Op& op : samples::route_plan().ops) {
            e.encode(op.step, seq++);
            if (e.result.ok()) all.insert(all.end(), e.bytes().begin(), e.bytes().end());
        }
        return std::pair{all, e.indexes.find("", "veth2")};
    };
    const auto [first, veth2] = encode_all();
    CHECK(first.size() > 1000);
    CHECK(encode_all().first == first);
    CHECK(veth2 == 19);  // above the highest live index (17): veth1 18, veth2 19
}

}  // namespace
}  // namespace podnetc
