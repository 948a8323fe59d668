// The runtime against the real kernel: namespaces, sockets inside them, batches
// with real acks. Hidden ([.kernel]): they change kernel state, so they run only
// inside tools/sandbox (ctest's kernel.runtime); a plain unit run skips them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <chrono>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include "runtime/netns/netns.hpp"
#include "runtime/netns/netns_socket.hpp"
#include "runtime/netlink/rtnl_decode.hpp"
#include "runtime/netlink/rtnl_requests.hpp"

using namespace podnetc;
using namespace podnetc::rt;

namespace {

// A namespace made for one test and deleted after it.
struct TestNetns {
    std::string name;
    explicit TestNetns(std::string n) : name(std::move(n)) {
        auto created = create_named_netns(name);
        INFO((created ? std::string() : created.error().message));
        REQUIRE(created);
    }
    ~TestNetns() { (void)delete_named_netns(name); }
};

nl::NetlinkSocket socket_in(const std::string& netns) {
    auto handle = NetnsHandle::open_named(netns);
    REQUIRE(handle);
    auto socket = open_netlink_socket_in(*handle);
    INFO((socket ? std::string() : socket.error().message));
    REQUIRE(socket);
    return std::move(*socket);
}

std::vector<std::string> link_names(nl::NetlinkSocket& socket) {
    alignas(8) std::array<std::byte, 256> request_bytes{};
    nl::RequestBatch request(request_bytes);
    REQUIRE(add_link_dump(request));
    std::vector<std::byte> receive(nl::kReceiveBufferSize);
    std::vector<std::string> names;
    auto end = socket.dump(request.request(0), receive, [&](const nlmsghdr& message) -> Result<void> {
        if (auto link = decode_link(message)) names.push_back(link->link.name);
        return {};
    });
    REQUIRE(end);
    CHECK(*end == nl::DumpEnd::complete);
    std::sort(names.begin(), names.end());
    return names;
}

void add_address(nl::RequestBatch& batch, unsigned ifindex, const char* address, std::uint8_t prefix_length) {
    ifaddrmsg header{};
    header.ifa_family = AF_INET;
    header.ifa_prefixlen = prefix_length;
    header.ifa_index = ifindex;
    const std::uint32_t raw = htonl(ip::Address::parse_v4(address)->v4_value());
    auto writer = batch.add(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, header);
    writer.put_u32(IFA_LOCAL, raw).put_u32(IFA_ADDRESS, raw).put_u8(IFA_PROTO, 176);
    REQUIRE(writer.ok());
}

}  // namespace

TEST_CASE("netns: create, see, enter, refuse a duplicate, delete", "[.kernel]") {
    const auto started = std::chrono::steady_clock::now();
    {
        TestNetns netns("podnetc-test-a");
        auto names = list_named_netns();
        REQUIRE(names);
        CHECK(std::count(names->begin(), names->end(), "podnetc-test-a") == 1);

        auto duplicate = create_named_netns("podnetc-test-a");
        REQUIRE_FALSE(duplicate);
        CHECK(duplicate.error().code == EEXIST);

        auto handle = NetnsHandle::open_named("podnetc-test-a");
        REQUIRE(handle);
        auto host = NetnsHandle::current();
        REQUIRE(host);
        CHECK_FALSE(handle->same_namespace(*host));
        {
            auto inside = ScopedNetns::enter(*handle);
            REQUIRE(inside);
            auto here = NetnsHandle::current();
            REQUIRE(here);
            CHECK(here->same_namespace(*handle));
        }
        auto back = NetnsHandle::current();
        REQUIRE(back);
        CHECK(back->same_namespace(*host));

        auto socket = socket_in("podnetc-test-a");
        CHECK(link_names(socket) == std::vector<std::string>{"lo"});  // a fresh namespace
    }
    auto names = list_named_netns();
    REQUIRE(names);
    CHECK(std::count(names->begin(), names->end(), "podnetc-test-a") == 0);

    // The cost of `ip netns add` without a process (KERNEL-FACTS #5: 0.4–0.7 ms).
    constexpr int kCount = 50;
    const auto batch_started = std::chrono::steady_clock::now();
    for (int i = 0; i < kCount; ++i) REQUIRE(create_named_netns(fmt::format("podnetc-bench-{}", i)));
    const std::chrono::duration<double, std::milli> created = std::chrono::steady_clock::now() - batch_started;
    for (int i = 0; i < kCount; ++i) REQUIRE(delete_named_netns(fmt::format("podnetc-bench-{}", i)));
    fmt::print(stderr, "runtime_kernel_test: create_named_netns: {:.3f} ms each ({} namespaces)\n",
               created.count() / kCount, kCount);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
}

TEST_CASE("socket: a batch gets one ack per request, with the kernel's error text", "[.kernel]") {
    TestNetns netns("podnetc-test-b");
    auto socket = socket_in("podnetc-test-b");
    const unsigned lo = 1;  // the loopback device is ifindex 1 in every namespace

    std::vector<std::byte> buffer(4096);
    std::vector<std::byte> receive(nl::kReceiveBufferSize);
    nl::RequestBatch batch(buffer);
    add_address(batch, lo, "10.1.0.1", 32);
    add_address(batch, lo, "10.1.0.1", 32);    // EEXIST
    add_address(batch, 999, "10.1.0.2", 32);   // no such device
    add_address(batch, lo, "10.1.0.3", 32);
    auto outcome = socket.send_batch(batch, receive, nl::BatchOptions{true, 0, {}});
    REQUIRE(outcome);
    REQUIRE(outcome->acks.size() == 4);  // one sendmsg: the kernel goes on after a failure
    CHECK(outcome->sendmsg_calls == 1);
    CHECK(outcome->acks[0].ok());
    CHECK(outcome->acks[1].error == EEXIST);
    CHECK(outcome->acks[2].error == ENODEV);
    CHECK(outcome->acks[2].message == "ipv4: Device not found");
    CHECK(outcome->acks[3].ok());
    CHECK(outcome->first_failure() == 1);

    // One request per sendmsg, stopping after the first failure: the rest is not sent.
    batch.clear();
    add_address(batch, lo, "10.1.0.4", 32);
    add_address(batch, lo, "10.1.0.4", 32);
    add_address(batch, lo, "10.1.0.5", 32);
    outcome = socket.send_batch(batch, receive, nl::BatchOptions{true, 1, {}});
    REQUIRE(outcome);
    CHECK(outcome->acks.size() == 2);
    CHECK(outcome->sendmsg_calls == 2);

    alignas(8) std::array<std::byte, 256> request_bytes{};
    nl::RequestBatch request(request_bytes);
    REQUIRE(add_address_dump(request));
    std::vector<std::string> addresses;
    auto end = socket.dump(request.request(0), receive, [&](const nlmsghdr& message) -> Result<void> {
        if (auto a = decode_address(message)) {
            addresses.push_back(fmt::format("{} proto {}", a->address.local.str(), a->address.protocol));
        }
        return {};
    });
    REQUIRE(end);
    std::sort(addresses.begin(), addresses.end());
    CHECK(addresses == std::vector<std::string>{"10.1.0.1/32 proto 176", "10.1.0.3/32 proto 176", "10.1.0.4/32 proto 176"});
}

TEST_CASE("socket: thousands of requests in one batch lose no ack", "[.kernel]") {
    TestNetns netns("podnetc-test-c");
    auto socket = socket_in("podnetc-test-c");
    constexpr int kRoutes = 3000;  // far beyond the ~256 acks a default receive buffer holds
    std::vector<std::byte> buffer(kRoutes * 64 + 256);
    std::vector<std::byte> receive(nl::kReceiveBufferSize);
    nl::RequestBatch batch(buffer);
    ifinfomsg up{};
    up.ifi_index = 1;
    up.ifi_flags = IFF_UP;
    up.ifi_change = IFF_UP;
    REQUIRE(batch.add(RTM_NEWLINK, 0, up).ok());
    for (int i = 0; i < kRoutes; ++i) {
        rtmsg route{};
        route.rtm_family = AF_INET;
        route.rtm_dst_len = 32;
        route.rtm_table = RT_TABLE_MAIN;
        route.rtm_protocol = 176;
        route.rtm_scope = RT_SCOPE_LINK;
        route.rtm_type = RTN_UNICAST;
        auto writer = batch.add(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, route);
        writer.put_u32(RTA_DST, htonl(0x0a400000u + static_cast<std::uint32_t>(i))).put_u32(RTA_OIF, 1);
        REQUIRE(writer.ok());
    }
    const auto started = std::chrono::steady_clock::now();
    auto outcome = socket.send_batch(batch, receive);
    const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - started;
    INFO((outcome ? std::string() : outcome.error().message));
    REQUIRE(outcome);
    CHECK(outcome->acks.size() == kRoutes + 1);
    CHECK(outcome->all_ok());
    fmt::print(stderr, "runtime_kernel_test: {} requests acked in {:.2f} ms ({} sendmsg calls, send limit {} bytes)\n",
               kRoutes + 1, elapsed.count(), outcome->sendmsg_calls, socket.send_limit());
}

TEST_CASE("socket: strict checking refuses a malformed dump, with the kernel's reason", "[.kernel]") {
    auto socket = nl::NetlinkSocket::open();
    REQUIRE(socket);
    alignas(8) std::array<std::byte, 256> request_bytes{};
    nl::RequestBatch request(request_bytes);
    ifinfomsg header{};
    header.ifi_index = 1;  // link dumps cannot filter by ifindex; without strict checking it is ignored
    REQUIRE(request.add(RTM_GETLINK, 0, header).ok());
    std::vector<std::byte> receive(nl::kReceiveBufferSize);
    int messages = 0;
    auto end = socket->dump(request.request(0), receive, [&](const nlmsghdr&) -> Result<void> {
        ++messages;
        return {};
    });
    REQUIRE_FALSE(end);
    CHECK(end.error().code == EINVAL);
    CHECK(end.error().message == "dump failed: Invalid argument (Filter by device index not supported for link dumps)");
    CHECK(messages == 0);
    // The socket is still usable afterwards.
    CHECK(link_names(*socket) == std::vector<std::string>{"lo"});
}
