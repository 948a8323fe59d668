// Netlink messages as text: exact lines for the requests the encoder writes, the
// kernel's acks with their extended-ack text, damaged input, and a whole plan.
#include <catch2/catch.hpp>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "runtime/netlink/netlink_text.hpp"
#include "runtime/netlink/plan_netlink_text.hpp"
#include "tests/unit/netlink/netlink_test_support.hpp"
#include "tests/unit/plan/plan_samples.hpp"

namespace podnetc {
namespace {

using plan::StepKind;
using testing::Encoding;

// The text of each of `ops`' steps, encoded in order, in the namespace that sends it.
std::vector<std::string> lines_of(const std::vector<plan::Op>& ops, Encoding& e, bool show_seq = false) {
    std::vector<std::string> lines;
    std::uint32_t seq = 1;
    for (const plan::Op& op : ops) {
        e.encode(op.step, seq++);
        if (!e.result.ok()) continue;
        lines.push_back(rt::message_text(e.bytes(), rt::TextContext{op.step.netns(), &e.indexes, &e.fds, show_seq}));
    }
    return lines;
}

TEST_CASE("the route example's requests read as one line each", "[netlink][text]") {
    Encoding e;
    const auto lines = lines_of(samples::routed_pod_ops({"pod-1", "10.10.1.10/32", "veth1"}), e);
    CHECK(lines == std::vector<std::string>{
        "RTM_NEWLINK create,excl ifindex=2 up name=veth1 group=20558 mac=ee:ee:ee:ee:ee:ee "
        "linkinfo{kind=veth data{peer{ifindex=2 name=eth0 netns=pod-1 group=20558}}}",
        "RTM_SETLINK ifindex=2(veth1) af_spec{inet{conf{forwarding=1 proxy_arp=1}}}",
        "RTM_SETNEIGHTBL family=inet name=arp_cache parms{ifindex=2(veth1) proxy_delay=0ms}",
        "RTM_NEWROUTE create,excl table=main proto=176 scope=link type=unicast dst=10.10.1.10/32 oif=2(veth1)",
        "RTM_SETLINK ifindex=2(eth0) up",
        "RTM_NEWADDR create,excl ifindex=2(eth0) prefixlen=32 scope=universe local=10.10.1.10 address=10.10.1.10 "
        "proto=176",
        "RTM_NEWNEIGH create,replace ifindex=2(eth0) state=permanent dst=169.254.1.1 lladdr=ee:ee:ee:ee:ee:ee "
        "protocol=176",
        "RTM_NEWROUTE create,excl table=main proto=176 scope=link type=unicast dst=169.254.1.1/32 oif=2(eth0)",
        "RTM_NEWROUTE create,excl table=main proto=176 scope=universe type=unicast dst=0.0.0.0/0 "
        "gateway=169.254.1.1 oif=2(eth0)",
    });
}

TEST_CASE("inverses read as deletes that name the deleted link", "[netlink][text]") {
    Encoding e;
    const auto ops = samples::routed_pod_ops({"pod-1", "10.10.1.10/32", "veth1"});
    lines_of(ops, e);
    std::vector<plan::Op> undo;
    for (auto op = ops.rbegin(); op != ops.rend(); ++op) {
        for (const plan::Step& inverse : op->inverse) undo.push_back(samples::op(inverse, {}, "pod-1"));
    }
    CHECK(lines_of(undo, e, /*show_seq=*/true) == std::vector<std::string>{
        "RTM_DELROUTE seq=1 table=main proto=176 scope=universe type=unicast dst=0.0.0.0/0 gateway=169.254.1.1 "
        "oif=2(eth0)",
        "RTM_DELROUTE seq=2 table=main proto=176 scope=link type=unicast dst=169.254.1.1/32 oif=2(eth0)",
        "RTM_DELNEIGH seq=3 ifindex=2(eth0) dst=169.254.1.1",
        "RTM_DELADDR seq=4 ifindex=2(eth0) prefixlen=32 scope=universe local=10.10.1.10 address=10.10.1.10",
        "RTM_SETLINK seq=5 ifindex=2(eth0) down",
        "RTM_DELROUTE seq=6 table=main proto=176 scope=link type=unicast dst=10.10.1.10/32 oif=2(veth1)",
        "RTM_SETNEIGHTBL seq=7 family=inet name=arp_cache parms{ifindex=2(veth1) proxy_delay=80ms}",
        "RTM_SETLINK seq=8 ifindex=2(veth1) af_spec{inet{conf{forwarding=0 proxy_arp=0}}}",
        "RTM_DELLINK seq=9 ifindex=2(veth1)",
    });
}

TEST_CASE("bridges, masters, group deletes and route extras", "[netlink][text]") {
    Encoding e;
    plan::LinkCreate bridge;
    bridge.kind = kernel::kBridge;
    bridge.end = plan::LinkEnd{"", "cbr0", std::nullopt, 1450, 20558};
    bridge.up = true;
    plan::LinkChange port;
    port.name = "veth1";
    port.master = "cbr0";
    port.mtu = 1400;
    port.mac = Mac::parse("02:00:00:00:00:01");
    port.group = 7;
    plan::LinkChange release = port;
    release.master = "";
    release.mtu.reset();
    release.mac.reset();
    release.group.reset();
    kernel::Route route;
    route.table = 1000;
    route.dst = ip::Prefix::parse("10.20.0.0/16").value();
    route.gateway = ip::Address::parse_v4("192.0.2.1");
    route.dev = "cbr0";
    route.flags |= kernel::kOnlink;
    route.prefsrc = ip::Address::parse_v4("10.10.1.1");
    route.metric = 10;
    route.protocol = 176;
    const std::vector<plan::Op> ops{
        samples::op(plan::CreateLink{bridge}, {}, ""),
        samples::routed_pod_ops({"pod-1", "10.10.1.10/32", "veth1"}).front(),
        samples::op(plan::ChangeLink{port}, {}, ""),
        samples::op(plan::ChangeLink{release}, {}, ""),
        samples::op(plan::ReplaceRoute{route}, {}, ""),
        samples::op(plan::DeleteLink{plan::LinkDelete{"", "", 20558}}, {}, ""),
    };
    const auto lines = lines_of(ops, e);
    REQUIRE(lines.size() == 6);
    CHECK(lines[0] == "RTM_NEWLINK create,excl ifindex=2 up name=cbr0 group=20558 mtu=1450 linkinfo{kind=bridge}");
    CHECK(lines[2] == "RTM_SETLINK ifindex=3(veth1) mtu=1400 mac=02:00:00:00:00:01 master=2(cbr0) group=7");
    CHECK(lines[3] == "RTM_SETLINK ifindex=3(veth1) master=0(none)");
    CHECK(lines[4] == "RTM_NEWROUTE create,replace table=unspec proto=176 scope=universe type=unicast onlink "
                      "table=1000 dst=10.20.0.0/16 gateway=192.0.2.1 oif=2(cbr0) prefsrc=10.10.1.1 metric=10");
    CHECK(lines[5] == "RTM_DELLINK group=20558");
}

TEST_CASE("without names, numbers: ifindexes bare, descriptors as netns_fd", "[netlink][text]") {
    Encoding e;
    e.encode(samples::routed_pod_ops({"pod-1", "10.10.1.10/32", "veth1"}).front().step);
    CHECK(rt::message_text(e.bytes(), rt::TextContext{}) ==
          "RTM_NEWLINK create,excl ifindex=2 up name=veth1 group=20558 mac=ee:ee:ee:ee:ee:ee "
          "linkinfo{kind=veth data{peer{ifindex=2 name=eth0 netns_fd=11 group=20558}}}");
    e.encode(samples::routed_pod_ops({"pod-1", "10.10.1.10/32", "veth1"})[3].step);
    CHECK(rt::message_text(e.bytes(), rt::TextContext{}) ==
          "RTM_NEWROUTE create,excl table=main proto=176 scope=link type=unicast dst=10.10.1.10/32 oif=2");
}

// An NLMSG_ERROR as the kernel writes it for `request`: capped (only the request's
// header) or with the whole request, then the extended-ack attributes.
std::vector<std::byte> ack_for(std::span<const std::byte> request, int error, const char* text, bool capped,
                               std::optional<std::uint32_t> offset = std::nullopt) {
    alignas(8) std::array<std::byte, 1024> buffer{};
    nlmsghdr* m = mnl_nlmsg_put_header(buffer.data());
    m->nlmsg_type = NLMSG_ERROR;
    m->nlmsg_seq = 0;
    nlmsghdr original;
    std::memcpy(&original, request.data(), sizeof original);
    const std::size_t echoed = capped ? sizeof(nlmsghdr) : original.nlmsg_len;
    auto* payload = static_cast<std::byte*>(mnl_nlmsg_put_extra_header(m, sizeof(int) + echoed));
    const int negative = -error;
    std::memcpy(payload, &negative, sizeof negative);
    std::memcpy(payload + sizeof(int), request.data(), echoed);
    if (capped) m->nlmsg_flags |= NLM_F_CAPPED;
    if (text != nullptr || offset) {
        m->nlmsg_flags |= NLM_F_ACK_TLVS;
        if (text != nullptr) mnl_attr_put_strz(m, NLMSGERR_ATTR_MSG, text);
        if (offset) mnl_attr_put_u32(m, NLMSGERR_ATTR_OFFS, *offset);
    }
    return {buffer.begin(), buffer.begin() + m->nlmsg_len};
}

TEST_CASE("acks: ok, and errors with the kernel's extended-ack text", "[netlink][text]") {
    Encoding e;
    const auto ops = samples::routed_pod_ops({"pod-1", "10.10.1.10/32", "veth1"});
    e.encode(ops[0].step, 5);
    const std::vector<std::byte> newlink(e.bytes().begin(), e.bytes().end());
    e.encode(ops[3].step, 7);
    const std::vector<std::byte> newroute(e.bytes().begin(), e.bytes().end());

    CHECK(rt::message_text(ack_for(newlink, 0, nullptr, true), {}) == "NLMSG_ERROR ok for RTM_NEWLINK seq=5");
    CHECK(rt::message_text(ack_for(newlink, EEXIST, nullptr, false), {}) ==
          "NLMSG_ERROR EEXIST (File exists) for RTM_NEWLINK seq=5");
    CHECK(rt::message_text(ack_for(newroute, ENETUNREACH, "Nexthop has invalid gateway", false), {}) ==
          "NLMSG_ERROR ENETUNREACH (Network is unreachable) for RTM_NEWROUTE seq=7 "
          "msg=\"Nexthop has invalid gateway\"");
    CHECK(rt::message_text(ack_for(newroute, ENODEV, "ipv4: Device not found", true, 36), {}) ==
          "NLMSG_ERROR ENODEV (No such device) for RTM_NEWROUTE seq=7 msg=\"ipv4: Device not found\" offset=36");
}

TEST_CASE("damaged input is described, never read past its end", "[netlink][text]") {
    Encoding e;
    const auto ops = samples::routed_pod_ops({"pod-1", "10.10.1.10/32", "veth1"});
    e.encode(ops[0].step);
    e.encode(ops[3].step);
    REQUIRE(e.result.ok());
    std::vector<std::byte> message(e.bytes().begin(), e.bytes().end());

    CHECK(rt::message_text(std::span{message}.first(10), {}) == "truncated netlink message");
    CHECK(rt::message_text(std::span{message}.first(40), {}) == "RTM_NEWROUTE truncated: 40 of 44 bytes");

    // The last attribute (RTA_OIF, 8 bytes at the end) claims more than there is.
    std::vector<std::byte> bad = message;
    const std::uint16_t too_long = 200;
    std::memcpy(bad.data() + bad.size() - 8, &too_long, sizeof too_long);
    CHECK(rt::message_text(bad, {}) == "RTM_NEWROUTE create,excl table=main proto=176 scope=link type=unicast "
                                      "dst=10.10.1.10/32 malformed-attributes");

    // An attribute the printer does not know: its type and size.
    std::vector<std::byte> unknown = message;
    const std::uint16_t type = 99;
    std::memcpy(unknown.data() + unknown.size() - 6, &type, sizeof type);
    CHECK(rt::message_text(unknown, {}) == "RTM_NEWROUTE create,excl table=main proto=176 scope=link type=unicast "
                                          "dst=10.10.1.10/32 attr#99(4B)");
}

TEST_CASE("a buffer of messages is one line per message", "[netlink][text]") {
    Encoding e;
    std::vector<std::byte> all;
    for (const plan::Op& op : samples::routed_pod_ops({"pod-1", "10.10.1.10/32", "veth1"})) {
        if (op.step.netns() != "") continue;
        e.encode(op.step);
        REQUIRE(e.result.ok());
        all.insert(all.end(), e.bytes().begin(), e.bytes().end());
    }
    const std::string text = rt::messages_text(all, rt::TextContext{"", &e.indexes, &e.fds});
    CHECK(std::count(text.begin(), text.end(), '\n') == 4);
    CHECK(text.rfind("RTM_NEWROUTE create,excl table=main proto=176 scope=link type=unicast dst=10.10.1.10/32 "
                     "oif=2(veth1)\n") != std::string::npos);
}

TEST_CASE("a plan as netlink text: a section per operation, namespaces as comments", "[netlink][text][plan]") {
    const std::string file = "network pods mode route subnet 10.10.1.0/24\n\n"
                             "pod pod-1 on pods address 10.10.1.10 host-veth veth1\n"
                             "pod pod-2 on pods address 10.10.1.11 host-veth veth2\n";
    SourceSet sources;
    const FileId id = sources.add("route.pnet", file);
    plan::Plan plan = samples::route_plan();
    for (plan::Op& op : plan.ops) {
        op.source = SourceRange{id, static_cast<std::uint32_t>(file.find("pod " + op.pod)), 9};
    }
    // The host already has lo and an uplink: the pods' host ends come above them.
    live::State live;
    live::Netns host;
    host.name = "";
    live.namespaces = {host};
    live::Link lo;
    lo.ifindex = 1;
    lo.name = "lo";
    live::Link uplink = lo;
    uplink.ifindex = 2;
    uplink.name = "eth0";
    live.links = {lo, uplink};

    const std::string text = rt::plan_as_netlink_text(plan, live, &sources);
    CHECK(text == R"(# podnetc plan --emit netlink: 18 netlink requests for 20 operations.
# Each request is sent on a socket in the namespace its comment names, with
# NLM_F_REQUEST|NLM_F_ACK (not shown); new links get the ifindex shown (pinned).

# + namespace pod-1: missing (route.pnet:3:1)
# create namespace pod-1 (unshare + bind mount /run/netns/pod-1; registry entry; lo up: RTM_SETLINK index 1, IFF_UP)

# + namespace pod-2: missing (route.pnet:4:1)
# create namespace pod-2 (unshare + bind mount /run/netns/pod-2; registry entry; lo up: RTM_SETLINK index 1, IFF_UP)

# + link veth1 in host (veth, peer eth0 in pod-1): missing (route.pnet:3:1)
RTM_NEWLINK create,excl ifindex=3 up name=veth1 group=20558 mac=ee:ee:ee:ee:ee:ee linkinfo{kind=veth data{peer{ifindex=2 name=eth0 netns=pod-1 group=20558}}}

# ~ link veth1 in host: differs, proxy_arp off -> on, forwarding off -> on (route.pnet:3:1)
RTM_SETLINK ifindex=3(veth1) af_spec{inet{conf{forwarding=1 proxy_arp=1}}}

# ~ arp parameters of veth1 in host: differs, proxy_delay 80 -> 0 (route.pnet:3:1)
RTM_SETNEIGHTBL family=inet name=arp_cache parms{ifindex=3(veth1) proxy_delay=0ms}

# + route 10.10.1.10/32 dev veth1 in host: missing (route.pnet:3:1)
RTM_NEWROUTE create,excl table=main proto=176 scope=link type=unicast dst=10.10.1.10/32 oif=3(veth1)

# ~ link eth0 in pod-1: differs, down -> up (route.pnet:3:1)
RTM_SETLINK ifindex=2(eth0) up

# + address 10.10.1.10/32 on eth0 in pod-1: missing (route.pnet:3:1)
RTM_NEWADDR create,excl ifindex=2(eth0) prefixlen=32 scope=universe local=10.10.1.10 address=10.10.1.10 proto=176

# + neighbour 169.254.1.1 on eth0 in pod-1: missing (route.pnet:3:1)
RTM_NEWNEIGH create,replace ifindex=2(eth0) state=permanent dst=169.254.1.1 lladdr=ee:ee:ee:ee:ee:ee protocol=176

# + route 169.254.1.1/32 dev eth0 in pod-1: missing (route.pnet:3:1)
RTM_NEWROUTE create,excl table=main proto=176 scope=link type=unicast dst=169.254.1.1/32 oif=2(eth0)

# + route default via 169.254.1.1 dev eth0 in pod-1: missing (route.pnet:3:1)
RTM_NEWROUTE create,excl table=main proto=176 scope=universe type=unicast dst=0.0.0.0/0 gateway=169.254.1.1 oif=2(eth0)

# + link veth2 in host (veth, peer eth0 in pod-2): missing (route.pnet:4:1)
RTM_NEWLINK create,excl ifindex=4 up name=veth2 group=20558 mac=ee:ee:ee:ee:ee:ee linkinfo{kind=veth data{peer{ifindex=2 name=eth0 netns=pod-2 group=20558}}}

# ~ link veth2 in host: differs, proxy_arp off -> on, forwarding off -> on (route.pnet:4:1)
RTM_SETLINK ifindex=4(veth2) af_spec{inet{conf{forwarding=1 proxy_arp=1}}}

# ~ arp parameters of veth2 in host: differs, proxy_delay 80 -> 0 (route.pnet:4:1)
RTM_SETNEIGHTBL family=inet name=arp_cache parms{ifindex=4(veth2) proxy_delay=0ms}

# + route 10.10.1.11/32 dev veth2 in host: missing (route.pnet:4:1)
RTM_NEWROUTE create,excl table=main proto=176 scope=link type=unicast dst=10.10.1.11/32 oif=4(veth2)

# ~ link eth0 in pod-2: differs, down -> up (route.pnet:4:1)
RTM_SETLINK ifindex=2(eth0) up

# + address 10.10.1.11/32 on eth0 in pod-2: missing (route.pnet:4:1)
RTM_NEWADDR create,excl ifindex=2(eth0) prefixlen=32 scope=universe local=10.10.1.11 address=10.10.1.11 proto=176

# + neighbour 169.254.1.1 on eth0 in pod-2: missing (route.pnet:4:1)
RTM_NEWNEIGH create,replace ifindex=2(eth0) state=permanent dst=169.254.1.1 lladdr=ee:ee:ee:ee:ee:ee protocol=176

# + route 169.254.1.1/32 dev eth0 in pod-2: missing (route.pnet:4:1)
RTM_NEWROUTE create,excl table=main proto=176 scope=link type=unicast dst=169.254.1.1/32 oif=2(eth0)

# + route default via 169.254.1.1 dev eth0 in pod-2: missing (route.pnet:4:1)
RTM_NEWROUTE create,excl table=main proto=176 scope=universe type=unicast dst=0.0.0.0/0 gateway=169.254.1.1 oif=2(eth0)
)");
    CHECK(rt::plan_as_netlink_text(plan, live, &sources) == text);  // deterministic
}

TEST_CASE("an empty plan, and a step that cannot be encoded", "[netlink][text][plan]") {
    CHECK(rt::plan_as_netlink_text(plan::Plan{}, live::State{}) ==
          "# podnetc plan --emit netlink: 0 netlink requests for 0 operations.\n"
          "# Each request is sent on a socket in the namespace its comment names, with\n"
          "# NLM_F_REQUEST|NLM_F_ACK (not shown); new links get the ifindex shown (pinned).\n"
          "\n# nothing to do\n");
    plan::Plan plan;
    plan.ops.push_back(samples::op(
        plan::DeleteLink{plan::LinkDelete{"pod-1", "eth7", std::nullopt}}, {}, "pod-1"));
    plan.ops.back().reason = plan::Reason::undeclared;
    CHECK(rt::plan_as_netlink_text(plan, live::State{}).ends_with(
        "\n# - link eth7 in pod-1: no longer declared\n# cannot encode: no link eth7 in namespace pod-1\n"));
}

}  // namespace
}  // namespace podnetc
