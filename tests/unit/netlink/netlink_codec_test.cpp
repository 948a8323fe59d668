// The netlink message layer without a socket: requests are encoded into a
// caller-owned buffer, and the decoders read messages built with the same writer
// (as the kernel would send them), including malformed ones.
#include <catch2/catch.hpp>

#include <array>
#include <cstring>

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/neighbour.h>
#include <linux/net_namespace.h>
#include <linux/netconf.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "runtime/netlink/nl_ack.hpp"
#include "runtime/netlink/nl_attr.hpp"
#include "runtime/netlink/nl_batch.hpp"
#include "runtime/netlink/rtnl_decode.hpp"
#include "runtime/netlink/rtnl_requests.hpp"

using namespace podnetc;
using namespace podnetc::rt;

namespace {

struct Buffer {
    alignas(8) std::array<std::byte, 8192> bytes{};
    nl::RequestBatch batch{bytes};
};

// The first attribute of type `type` in the message, or nullptr.
const nlattr* find_attr(const nlmsghdr& message, std::size_t header_length, std::uint16_t type) {
    for (const nlattr& attr : nl::AttrRange::of_message(message, header_length)) {
        if (nl::attr_type(attr) == type) return &attr;
    }
    return nullptr;
}

std::uint32_t be(const char* dotted) { return htonl(ip::Address::parse_v4(dotted)->v4_value()); }

}  // namespace

TEST_CASE("batch: requests back to back, each with its header and attributes", "[netlink]") {
    Buffer b;
    ifaddrmsg header{};
    header.ifa_family = AF_INET;
    header.ifa_prefixlen = 24;
    header.ifa_index = 7;
    auto first = b.batch.add(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, header);
    first.put_u32(IFA_LOCAL, be("10.10.1.1")).put_u8(IFA_PROTO, 176).put_string(IFA_LABEL, std::string_view("cbr0xyz", 4));
    REQUIRE(first.ok());
    auto second = b.batch.add(RTM_DELADDR, 0, header);
    REQUIRE(second.ok());
    REQUIRE(b.batch.count() == 2);

    const nlmsghdr& m = b.batch.request(0);
    CHECK(m.nlmsg_type == RTM_NEWADDR);
    CHECK(m.nlmsg_flags == (NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL));
    const auto copied = nl::family_header<ifaddrmsg>(m);
    REQUIRE(copied);
    CHECK(copied->ifa_prefixlen == 24);
    CHECK(copied->ifa_index == 7);
    const nlattr* label = find_attr(m, sizeof(ifaddrmsg), IFA_LABEL);
    REQUIRE(label != nullptr);
    CHECK(nl::attr_string(*label) == "cbr0");  // the view's bytes only, NUL-terminated
    CHECK(nl::attr_as<std::uint8_t>(*find_attr(m, sizeof(ifaddrmsg), IFA_PROTO)) == 176);

    // The second request starts where the first ends (aligned), and bytes() spans both.
    const auto* start = reinterpret_cast<const std::byte*>(&b.batch.request(0));
    const auto* next = reinterpret_cast<const std::byte*>(&b.batch.request(1));
    CHECK(next - start == static_cast<std::ptrdiff_t>(NLMSG_ALIGN(m.nlmsg_len)));
    CHECK(b.batch.bytes(0, 2).size() == NLMSG_ALIGN(m.nlmsg_len) + NLMSG_ALIGN(b.batch.request(1).nlmsg_len));
    b.batch.drop_last();
    CHECK(b.batch.count() == 1);
}

TEST_CASE("batch: a full buffer refuses requests and attributes instead of overrunning", "[netlink]") {
    alignas(8) std::array<std::byte, 48> small{};  // room for one empty RTM_NEWLINK (32 bytes)
    nl::RequestBatch batch(small);
    ifinfomsg header{};
    auto writer = batch.add(RTM_NEWLINK, 0, header);
    REQUIRE(writer.ok());
    writer.put_string(IFLA_IFNAME, "a-name-longer-than-the-16-bytes-left");
    CHECK_FALSE(writer.ok());
    writer.put_u32(IFLA_MTU, 1500);  // ignored after a failure
    CHECK_FALSE(writer.ok());
    CHECK(batch.request(0).nlmsg_len == NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(ifinfomsg)));

    auto none = batch.add(RTM_NEWLINK, 0, header);
    CHECK_FALSE(none.ok());
    CHECK(batch.count() == 1);
}

TEST_CASE("batch: nested attributes", "[netlink]") {
    Buffer b;
    ifinfomsg header{};
    auto writer = b.batch.add(RTM_NEWLINK, 0, header);
    nlattr* info = writer.begin_nest(IFLA_LINKINFO);
    writer.put_string(IFLA_INFO_KIND, "veth");
    writer.end_nest(info);
    REQUIRE(writer.ok());
    const nlattr* nest = find_attr(b.batch.request(0), sizeof(ifinfomsg), IFLA_LINKINFO);
    REQUIRE(nest != nullptr);
    int count = 0;
    for (const nlattr& inner : nl::AttrRange::of_nested(*nest)) {
        ++count;
        CHECK(nl::attr_type(inner) == IFLA_INFO_KIND);
        CHECK(nl::attr_string(inner) == "veth");
    }
    CHECK(count == 1);
}

TEST_CASE("attributes: a truncated attribute ends the iteration", "[netlink]") {
    alignas(4) std::array<std::byte, 16> raw{};
    nlattr good{8, IFLA_MTU};
    std::memcpy(raw.data(), &good, sizeof good);
    nlattr broken{40, IFLA_GROUP};  // claims more bytes than there are
    std::memcpy(raw.data() + 8, &broken, sizeof broken);
    int seen = 0;
    for (const nlattr& attr : nl::AttrRange(raw.data(), raw.size())) {
        CHECK(nl::attr_type(attr) == IFLA_MTU);
        ++seen;
    }
    CHECK(seen == 1);
}

namespace {

// An NLMSG_ERROR as the kernel writes it for a socket with NETLINK_CAP_ACK and
// NETLINK_EXT_ACK: error, the request's header, then the TLVs.
void put_error(nl::RequestBatch& batch, int error, const nlmsghdr& request, bool capped, const char* text,
               std::optional<std::uint32_t> offset) {
    nlmsgerr header{};
    header.error = error;
    header.msg = request;
    const std::size_t echoed = capped ? 0 : request.nlmsg_len - NLMSG_HDRLEN;
    std::vector<std::byte> body(sizeof header + echoed);
    std::memcpy(body.data(), &header, sizeof header);
    if (!capped) std::memcpy(body.data() + sizeof header, reinterpret_cast<const std::byte*>(&request) + NLMSG_HDRLEN, echoed);
    auto writer = batch.add_raw(NLMSG_ERROR, static_cast<std::uint16_t>((capped ? NLM_F_CAPPED : 0) | NLM_F_ACK_TLVS),
                                body.data(), body.size());
    if (text != nullptr) writer.put_string(NLMSGERR_ATTR_MSG, text);
    if (offset) writer.put_u32(NLMSGERR_ATTR_OFFS, *offset);
    REQUIRE(writer.ok());
}

}  // namespace

TEST_CASE("acks: success, failures with extended-ack text, capped or not", "[netlink]") {
    Buffer requests;
    rtmsg route{};
    auto req = requests.batch.add(RTM_NEWROUTE, NLM_F_CREATE, route);
    req.put_u32(RTA_GATEWAY, be("10.0.0.1"));
    const nlmsghdr& request = requests.batch.request(0);

    Buffer replies;
    put_error(replies.batch, 0, request, true, nullptr, std::nullopt);
    put_error(replies.batch, -EINVAL, request, true, "Nexthop has invalid gateway", 20u);
    put_error(replies.batch, -EEXIST, request, false, "Route exists", std::nullopt);

    const auto ok = nl::decode_ack(replies.batch.request(0));
    REQUIRE(ok);
    CHECK(ok->ok());
    CHECK(ok->message.empty());

    const auto invalid = nl::decode_ack(replies.batch.request(1));
    REQUIRE(invalid);
    CHECK(invalid->error == EINVAL);
    CHECK(invalid->message == "Nexthop has invalid gateway");
    CHECK(invalid->bad_attribute_offset == 20u);
    CHECK(nl::describe(*invalid) == "Invalid argument (Nexthop has invalid gateway)");

    const auto exists = nl::decode_ack(replies.batch.request(2));  // TLVs after the echoed payload
    REQUIRE(exists);
    CHECK(exists->error == EEXIST);
    CHECK(exists->message == "Route exists");

    nlmsghdr truncated = replies.batch.request(0);
    truncated.nlmsg_len = NLMSG_HDRLEN + 2;
    CHECK_FALSE(nl::decode_ack(truncated));
}

TEST_CASE("acks: the status at the end of a dump", "[netlink]") {
    Buffer b;
    const int status = -EOPNOTSUPP;
    auto writer = b.batch.add_raw(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, &status, sizeof status);
    writer.put_string(NLMSGERR_ATTR_MSG, "Filter by device index not supported");
    const nl::Ack done = nl::decode_done(b.batch.request(0));
    CHECK(done.error == EOPNOTSUPP);
    CHECK(done.message == "Filter by device index not supported");

    const int zero = 0;
    b.batch.add_raw(NLMSG_DONE, NLM_F_MULTI, &zero, sizeof zero);
    CHECK(nl::decode_done(b.batch.request(1)).ok());
}

TEST_CASE("requests: dumps are written for strict checking", "[netlink]") {
    Buffer b;
    REQUIRE(add_link_dump(b.batch));
    REQUIRE(add_route_dump(b.batch));
    REQUIRE(add_nsid_query(b.batch, 42));
    REQUIRE(add_ipv4_netconf_query(b.batch));

    const nlmsghdr& link = b.batch.request(0);
    CHECK(link.nlmsg_type == RTM_GETLINK);
    CHECK((link.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP);
    const nlattr* mask = find_attr(link, sizeof(ifinfomsg), IFLA_EXT_MASK);
    REQUIRE(mask != nullptr);
    CHECK(nl::attr_as<std::uint32_t>(*mask) == RTEXT_FILTER_SKIP_STATS);

    const auto route = nl::family_header<rtmsg>(b.batch.request(1));
    REQUIRE(route);
    CHECK(route->rtm_family == AF_INET);
    CHECK(route->rtm_table == RT_TABLE_UNSPEC);  // every table
    CHECK(route->rtm_dst_len == 0);

    const nlmsghdr& nsid = b.batch.request(2);
    CHECK(nsid.nlmsg_type == RTM_GETNSID);
    CHECK((nsid.nlmsg_flags & NLM_F_DUMP) == 0);
    CHECK(nl::attr_as<std::uint32_t>(*find_attr(nsid, sizeof(rtgenmsg), NETNSA_FD)) == 42u);

    const nlattr* ifindex = find_attr(b.batch.request(3), sizeof(netconfmsg), NETCONFA_IFINDEX);
    REQUIRE(ifindex != nullptr);
    CHECK(nl::attr_as<std::int32_t>(*ifindex) == NETCONFA_IFINDEX_ALL);
}

namespace {

// A host veth as RTM_NEWLINK describes it: port of a bridge, peer in another namespace.
void put_veth_link(nl::RequestBatch& batch) {
    ifinfomsg header{};
    header.ifi_index = 5;
    header.ifi_flags = 0x1 | 0x10000;  // up, lower_up
    auto w = batch.add(RTM_NEWLINK, 0, header);
    w.put_string(IFLA_IFNAME, "veth1").put_u32(IFLA_MTU, 1450);
    const std::array<std::uint8_t, 6> mac{0xee, 0xee, 0xee, 0xee, 0xee, 0xee};
    w.put(IFLA_ADDRESS, mac.data(), mac.size());
    w.put_u32(IFLA_MASTER, 3).put_u32(IFLA_LINK, 2).put_s32(IFLA_LINK_NETNSID, 0);
    w.put_u8(IFLA_OPERSTATE, 6).put_u32(IFLA_GROUP, 20558).put_string(IFLA_IFALIAS, "pod-1");
    nlattr* info = w.begin_nest(IFLA_LINKINFO);
    w.put_string(IFLA_INFO_KIND, "veth").put_string(IFLA_INFO_SLAVE_KIND, "bridge");
    nlattr* slave = w.begin_nest(IFLA_INFO_SLAVE_DATA);
    w.put_u8(IFLA_BRPORT_STATE, 3).put_u8(IFLA_BRPORT_MODE, 1).put_u8(IFLA_BRPORT_LEARNING, 0);
    w.end_nest(slave);
    w.end_nest(info);
    nlattr* af_spec = w.begin_nest(IFLA_AF_SPEC);
    nlattr* inet = w.begin_nest(AF_INET);
    std::array<std::uint32_t, IPV4_DEVCONF_MAX> conf{};
    conf[IPV4_DEVCONF_FORWARDING - 1] = 1;
    conf[IPV4_DEVCONF_PROXY_ARP - 1] = 1;
    w.put(IFLA_INET_CONF, conf.data(), sizeof conf);
    w.end_nest(inet);
    w.end_nest(af_spec);
    REQUIRE(w.ok());
}

}  // namespace

TEST_CASE("decode_link: a veth bridge port with a peer in another namespace", "[netlink]") {
    Buffer b;
    put_veth_link(b.batch);
    const auto raw = decode_link(b.batch.request(0));
    REQUIRE(raw);
    const live::Link& link = raw->link;
    CHECK(link.ifindex == 5);
    CHECK(link.name == "veth1");
    CHECK(link.kind == "veth");
    CHECK(link.mtu == 1450);
    CHECK(link.mac == Mac::parse("ee:ee:ee:ee:ee:ee"));
    CHECK(link.up());
    CHECK(link.operstate == 6);
    CHECK(link.group == 20558);
    CHECK(link.alias == "pod-1");
    CHECK(link.forwarding == true);
    CHECK(link.proxy_arp == true);
    REQUIRE(link.bridge_port);
    CHECK(link.bridge_port->hairpin);
    CHECK_FALSE(link.bridge_port->learning);
    CHECK(link.bridge_port->unicast_flood);  // absent: the kernel's default
    CHECK(raw->master_ifindex == 3);
    CHECK(raw->peer_ifindex == 2);
    CHECK(raw->peer_nsid == 0);
}

TEST_CASE("decode_link: IFLA_LINK is a peer only for veths; nameless messages are refused", "[netlink]") {
    Buffer b;
    ifinfomsg header{};
    header.ifi_index = 9;
    auto w = b.batch.add(RTM_NEWLINK, 0, header);
    w.put_string(IFLA_IFNAME, "vlan9").put_u32(IFLA_LINK, 2);
    nlattr* info = w.begin_nest(IFLA_LINKINFO);
    w.put_string(IFLA_INFO_KIND, "vlan");
    w.end_nest(info);
    const auto vlan = decode_link(b.batch.request(0));
    REQUIRE(vlan);
    CHECK(vlan->peer_ifindex == 0);
    CHECK_FALSE(vlan->link.bridge_port);

    b.batch.add(RTM_NEWLINK, 0, header).put_u32(IFLA_MTU, 1500);
    CHECK_FALSE(decode_link(b.batch.request(1)));
    b.batch.add(RTM_NEWLINK, 0, header).put_string(IFLA_IFNAME, "short").put_u16(IFLA_MTU, 9000);
    const auto short_mtu = decode_link(b.batch.request(2));
    REQUIRE(short_mtu);
    CHECK(short_mtu->link.mtu == 0);  // a 2-byte MTU is not read as 4 bytes
}

TEST_CASE("decode_address: local, peer, full flags and protocol; IPv4 only", "[netlink]") {
    Buffer b;
    ifaddrmsg header{};
    header.ifa_family = AF_INET;
    header.ifa_prefixlen = 32;
    header.ifa_scope = 0;
    header.ifa_index = 2;
    header.ifa_flags = IFA_F_PERMANENT;
    b.batch.add(RTM_NEWADDR, 0, header)
        .put_u32(IFA_ADDRESS, be("10.10.1.1"))
        .put_u32(IFA_LOCAL, be("10.10.1.10"))
        .put_u32(IFA_FLAGS, IFA_F_PERMANENT | IFA_F_NOPREFIXROUTE)
        .put_u8(IFA_PROTO, 176);
    const auto raw = decode_address(b.batch.request(0));
    REQUIRE(raw);
    CHECK(raw->address.ifindex == 2);
    CHECK(raw->address.local == *ip::Prefix::parse("10.10.1.10/32"));
    CHECK(raw->address.peer == ip::Address::parse_v4("10.10.1.1"));
    CHECK(raw->address.flags == (IFA_F_PERMANENT | IFA_F_NOPREFIXROUTE));
    CHECK(raw->address.protocol == 176);

    header.ifa_family = AF_INET6;
    b.batch.add(RTM_NEWADDR, 0, header).put_u32(IFA_LOCAL, 1);
    CHECK_FALSE(decode_address(b.batch.request(1)));
}

TEST_CASE("decode_route: single path and multipath", "[netlink]") {
    Buffer b;
    rtmsg header{};
    header.rtm_family = AF_INET;
    header.rtm_dst_len = 0;
    header.rtm_table = RT_TABLE_MAIN;
    header.rtm_protocol = 176;
    header.rtm_scope = RT_SCOPE_UNIVERSE;
    header.rtm_type = RTN_UNICAST;
    header.rtm_flags = RTNH_F_ONLINK;
    b.batch.add(RTM_NEWROUTE, 0, header)
        .put_u32(RTA_TABLE, RT_TABLE_MAIN)
        .put_u32(RTA_GATEWAY, be("169.254.1.1"))
        .put_u32(RTA_OIF, 2)
        .put_u32(RTA_PREFSRC, be("10.10.1.10"))
        .put_u32(RTA_PRIORITY, 100);
    const auto single = decode_route(b.batch.request(0));
    REQUIRE(single);
    CHECK(single->route.dst == ip::Prefix{ip::Address::v4(0), 0});
    CHECK(single->route.gateway == ip::Address::parse_v4("169.254.1.1"));
    CHECK(single->oif == 2);
    CHECK(single->route.flags == RTNH_F_ONLINK);
    CHECK(single->route.prefsrc == ip::Address::parse_v4("10.10.1.10"));
    CHECK(single->route.metric == 100);
    CHECK(single->route.protocol == 176);

    // RTA_MULTIPATH: rtnexthop records, each followed by its own attributes.
    header.rtm_dst_len = 24;
    header.rtm_table = 100;
    std::vector<std::byte> hops;
    auto add_hop = [&](int ifindex, std::uint8_t extra_weight, const char* gateway) {
        rtnexthop hop{};
        hop.rtnh_len = static_cast<unsigned short>(RTNH_ALIGN(sizeof hop) + 8);
        hop.rtnh_hops = extra_weight;
        hop.rtnh_ifindex = ifindex;
        nlattr gw{8, RTA_GATEWAY};
        const std::uint32_t address = be(gateway);
        const std::size_t at = hops.size();
        hops.resize(at + hop.rtnh_len);
        std::memcpy(hops.data() + at, &hop, sizeof hop);
        std::memcpy(hops.data() + at + RTNH_ALIGN(sizeof hop), &gw, sizeof gw);
        std::memcpy(hops.data() + at + RTNH_ALIGN(sizeof hop) + 4, &address, 4);
    };
    add_hop(3, 0, "10.0.0.1");
    add_hop(4, 2, "10.0.1.1");
    b.batch.add(RTM_NEWROUTE, 0, header).put_u32(RTA_DST, be("192.168.7.0")).put(RTA_MULTIPATH, hops.data(), hops.size());
    const auto multi = decode_route(b.batch.request(1));
    REQUIRE(multi);
    CHECK(multi->route.table == 100);
    CHECK(multi->route.dst == *ip::Prefix::parse("192.168.7.0/24"));
    REQUIRE(multi->route.nexthops.size() == 2);
    CHECK(multi->route.nexthops[0].gateway == ip::Address::parse_v4("10.0.0.1"));
    CHECK(multi->route.nexthops[1].weight == 3);
    CHECK(multi->nexthop_oifs == std::vector<std::int32_t>{3, 4});
}

TEST_CASE("decode: neighbours, ARP table parameters, nsid, netconf", "[netlink]") {
    Buffer b;
    ndmsg neighbor{};
    neighbor.ndm_family = AF_INET;
    neighbor.ndm_ifindex = 2;
    neighbor.ndm_state = NUD_PERMANENT;
    const std::array<std::uint8_t, 6> mac{0xee, 0xee, 0xee, 0xee, 0xee, 0xee};
    b.batch.add(RTM_NEWNEIGH, 0, neighbor)
        .put_u32(NDA_DST, be("169.254.1.1"))
        .put(NDA_LLADDR, mac.data(), mac.size())
        .put_u8(NDA_PROTOCOL, 176);
    const auto n = decode_neighbor(b.batch.request(0));
    REQUIRE(n);
    CHECK(n->ifindex == 2);
    CHECK(n->neighbor.dst == *ip::Address::parse_v4("169.254.1.1"));
    CHECK(n->neighbor.lladdr == Mac::parse("ee:ee:ee:ee:ee:ee"));
    CHECK(n->neighbor.state == NUD_PERMANENT);
    CHECK(n->neighbor.protocol == 176);

    ndtmsg table{};
    table.ndtm_family = AF_INET;
    auto per_device = b.batch.add(RTM_NEWNEIGHTBL, 0, table);
    per_device.put_string(NDTA_NAME, "arp_cache");
    nlattr* parms = per_device.begin_nest(NDTA_PARMS);
    per_device.put_u32(NDTPA_IFINDEX, 7).put_u64(NDTPA_PROXY_DELAY, 0);
    per_device.end_nest(parms);
    const auto device_parms = decode_neigh_parms(b.batch.request(1));
    REQUIRE(device_parms);
    CHECK(device_parms->ifindex == 7);
    CHECK(device_parms->proxy_delay_ms == 0u);

    auto table_wide = b.batch.add(RTM_NEWNEIGHTBL, 0, table);
    parms = table_wide.begin_nest(NDTA_PARMS);
    table_wide.put_u64(NDTPA_PROXY_DELAY, 800);
    table_wide.end_nest(parms);
    CHECK_FALSE(decode_neigh_parms(b.batch.request(2)));

    rtgenmsg gen{};
    b.batch.add(RTM_NEWNSID, 0, gen).put_s32(NETNSA_NSID, 3);
    b.batch.add(RTM_NEWNSID, 0, gen).put_s32(NETNSA_NSID, NETNSA_NSID_NOT_ASSIGNED);
    CHECK(decode_nsid(b.batch.request(3)) == 3);
    CHECK_FALSE(decode_nsid(b.batch.request(4)));

    netconfmsg conf{};
    conf.ncm_family = AF_INET;
    b.batch.add(RTM_NEWNETCONF, 0, conf).put_s32(NETCONFA_IFINDEX, NETCONFA_IFINDEX_ALL).put_s32(NETCONFA_FORWARDING, 1);
    CHECK(decode_netconf_forwarding(b.batch.request(5)) == true);
}
