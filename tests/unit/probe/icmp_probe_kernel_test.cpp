// run_probes against the real kernel: the article's bridge and route pods built
// with plain `ip` (eth0 created directly in each pod's namespace), TTLs, failures
// and their messages, ping and raw sockets, and 110 pods probing each other.
// Hidden ([.kernel]): it changes kernel state, so it runs only inside tools/sandbox
// (ctest's kernel.runtime); a plain unit run skips it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

#include "runtime/probe/icmp_probe.hpp"

using namespace podnetc;
using namespace podnetc::rt;
using namespace std::chrono_literals;

namespace {

using SteadyClock = std::chrono::steady_clock;

// Runs a bash script (set -e); its output shows up in the test log.
void run_script(const std::string& script) {
    char path[] = "/tmp/podnetc-probe-XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    const bool written = write(fd, script.data(), script.size()) == static_cast<ssize_t>(script.size());
    close(fd);
    const int status = written ? std::system(fmt::format("bash -e {}", path).c_str()) : -1;
    unlink(path);
    INFO(script);
    REQUIRE(status == 0);
}

ip::Address ipv4(const std::string& text) { return *ip::Address::parse_v4(text); }

Probe probe(std::string netns, const std::string& target, std::string why = {}) {
    return Probe{std::move(netns), std::nullopt, ipv4(target), std::move(why)};
}

// The article's bridge (pods pb1..pb3 on br-probe, whose address 10.10.1.1 is their
// gateway) and route (pods pr1, pr2 behind proxy-ARP host veths, 169.254.1.1 as
// gateway, /32 routes on the host) setups. For proxy ARP to answer for 169.254.1.1
// the host needs a route to it out of another device: a veth "uplink" stands in
// for the node's real one (the sandbox has no other).
constexpr const char* kTopology = R"(
ip link add br-probe type bridge
ip link set br-probe up
ip addr add 10.10.1.1/24 dev br-probe
for i in 1 2 3; do
    ip netns add pb$i
    ip link add vb$i type veth peer name eth0 netns pb$i
    ip link set vb$i master br-probe up
    ip -n pb$i addr add 10.10.1.1$i/24 dev eth0
    ip -n pb$i link set eth0 up
    ip -n pb$i route add default via 10.10.1.1 dev eth0
done
ip link add uplink0 type veth peer name uplink1
ip link set uplink1 up
ip link set uplink0 up
ip route add 169.254.1.1/32 dev uplink0
for i in 1 2; do
    ip netns add pr$i
    ip link add vr$i type veth peer name eth0 netns pr$i
    ip link set vr$i up
    echo 1 > /proc/sys/net/ipv4/conf/vr$i/proxy_arp
    echo 1 > /proc/sys/net/ipv4/conf/vr$i/forwarding
    ip ntable change name arp_cache dev vr$i proxy_delay 0
    ip route add 10.20.1.1$i/32 dev vr$i scope link
    ip -n pr$i addr add 10.20.1.1$i/32 dev eth0
    ip -n pr$i link set eth0 up
    ip -n pr$i route add 169.254.1.1/32 dev eth0 scope link
    ip -n pr$i route add default via 169.254.1.1 dev eth0
done
)";

// Host ends first: deleting one is synchronous and takes its peer along, whereas a
// deleted namespace (and the veths in it) goes away only some time later.
constexpr const char* kTeardown = R"(
for dev in vb1 vb2 vb3 vr1 vr2; do ip link del $dev; done
for ns in pb1 pb2 pb3 pr1 pr2; do ip netns del $ns; done
ip link del br-probe
ip link del uplink0
)";

struct Topology {
    Topology() { run_script(kTopology); }
    ~Topology() { run_script(kTeardown); }
};

std::string describe(const Probe& p, const ProbeResult& r) {
    return fmt::format("{} -> {}: ok {} ttl {} attempts {} error '{}'", p.netns, p.target.str(), r.ok, r.ttl,
                       r.attempts, r.error);
}

}  // namespace

TEST_CASE("probes: TTL 64 across a bridge, 63 through the host; failures say why, in time", "[.kernel]") {
    Topology topology;
    ProbeOptions options;
    options.timeout = 600ms;
    options.retries = 2;

    // Once per test run: the host rate-limits the ICMP errors it sends to a peer
    // (5 at once, then one a second), and one of these probes needs one.
    SECTION("the article's pods, a gateway, the host, and probes that cannot succeed") {
        const std::vector<Probe> probes{
            probe("pb1", "10.10.1.12", "pb1 -> pb2"),
            probe("pb1", "10.10.1.13", "pb1 -> pb3"),
            probe("pb2", "10.10.1.11", "pb2 -> pb1"),
            probe("pb1", "10.10.1.1", "pb1 -> gateway"),
            probe("pr1", "10.20.1.12", "pr1 -> pr2"),
            probe("pr2", "10.20.1.11", "pr2 -> pr1"),
            probe("", "10.20.1.11", "host -> pr1"),
            probe("pb1", "10.10.1.99", "pb1 -> nobody"),
            probe("pr1", "10.20.9.9", "pr1 -> an address the host has no route to"),
            probe("nosuchpod", "10.10.1.11", "from a namespace that does not exist"),
            probe("pb1", "0.0.0.0", "not an address to probe"),
        };
        const auto started = SteadyClock::now();
        auto results = run_probes(probes, options);
        const auto elapsed = SteadyClock::now() - started;
        REQUIRE(results);
        REQUIRE(results->size() == probes.size());
        for (std::size_t i = 0; i < probes.size(); ++i) UNSCOPED_INFO(describe(probes[i], (*results)[i]));
        const auto& r = *results;

        const std::vector<std::uint8_t> ttls{64, 64, 64, 64, 63, 63, 64};
        for (std::size_t i = 0; i < ttls.size(); ++i) {
            INFO(probes[i].why);
            CHECK(r[i].ok);
            CHECK(r[i].ttl == ttls[i]);
            CHECK(r[i].error.empty());
            CHECK(r[i].attempts >= 1);
            CHECK(r[i].rtt_ms >= 0);
            CHECK(r[i].rtt_ms < 600);
            // A fresh pod namespace has ping_group_range "1 0": only a raw socket works there.
            CHECK(r[i].socket == IcmpSocketKind::raw);
        }

        // Nobody has the address: ARP fails in pb1. The kernel counts a "host
        // unreachable" for it but reports nothing to the socket: just no reply.
        CHECK_FALSE(r[7].ok);
        CHECK(r[7].attempts == 3);
        CHECK(r[7].error == "no reply from 10.10.1.99 within 600 ms (3 echo requests)");

        // The host, routing for pr1, has no route: its ICMP error reaches the probe
        // (sent from the host's only global address).
        CHECK_FALSE(r[8].ok);
        CHECK(r[8].error == "no reply from 10.20.9.9 within 600 ms (3 echo requests); last ICMP error: "
                            "destination network unreachable (reported by 10.10.1.1)");

        CHECK_FALSE(r[9].ok);
        CHECK(r[9].attempts == 0);
        CHECK_FALSE(r[9].socket);
        CHECK(r[9].error == "cannot open an ICMP socket in namespace 'nosuchpod': open /run/netns/nosuchpod: "
                            "No such file or directory");

        CHECK_FALSE(r[10].ok);
        CHECK(r[10].attempts == 0);
        CHECK(r[10].error == "0.0.0.0 is not a unicast address");

        // The failures took their timeout, not more (each from its own first request).
        CHECK(elapsed >= 600ms);
        CHECK(elapsed < 1500ms);
    }
    SECTION("ping sockets where ping_group_range allows them, refused where it does not") {
        options.sockets = IcmpSocketChoice::ping;
        auto refused = run_probes({probe("pb1", "10.10.1.12")}, options);
        REQUIRE(refused);
        CHECK_FALSE((*refused)[0].ok);
        CHECK((*refused)[0].error ==
              "cannot open an ICMP socket in namespace 'pb1': open a ping socket: Permission denied");

        run_script("for ns in pb1 pr1; do ip netns exec $ns sh -c 'echo 0 0 > /proc/sys/net/ipv4/ping_group_range'; done");
        // The kernel writes its own echo id over ours; replies still find their probes.
        for (const IcmpSocketChoice choice : {IcmpSocketChoice::ping, IcmpSocketChoice::automatic}) {
            options.sockets = choice;
            auto answered = run_probes({probe("pb1", "10.10.1.12"), probe("pb1", "10.10.1.13"),
                                        probe("pr1", "10.20.1.12"), probe("pb1", "10.10.1.99")},
                                       options);
            REQUIRE(answered);
            const auto& a = *answered;
            for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].socket == IcmpSocketKind::ping);
            CHECK(a[0].ok);
            CHECK(a[0].ttl == 64);
            CHECK(a[1].ok);
            CHECK(a[2].ok);
            CHECK(a[2].ttl == 63);
            CHECK(a[3].error == "no reply from 10.10.1.99 within 600 ms (3 echo requests)");
        }
    }
    SECTION("a source address: bound, and the reply comes back to it") {
        run_script("ip -n pb1 addr add 10.10.1.21/24 dev eth0");
        auto bound = run_probes({Probe{"pb1", ipv4("10.10.1.21"), ipv4("10.10.1.12"), "pb1 (second address) -> pb2"},
                                 Probe{"pb1", ipv4("10.99.0.1"), ipv4("10.10.1.12"), "from an address pb1 lacks"}},
                                options);
        REQUIRE(bound);
        CHECK((*bound)[0].ok);
        CHECK_FALSE((*bound)[1].ok);
        CHECK((*bound)[1].error ==
              "cannot open an ICMP socket in namespace 'pb1': bind the ICMP socket to 10.99.0.1: "
              "Cannot assign requested address");
    }
    SECTION("no route: the send fails at once, without waiting for the timeout") {
        run_script("ip -n pb2 route del default");
        const auto start = SteadyClock::now();
        auto unroutable = run_probes({probe("pb2", "10.30.0.1")}, options);
        REQUIRE(unroutable);
        CHECK((*unroutable)[0].error == "send an echo request to 10.30.0.1: Network is unreachable");
        CHECK(SteadyClock::now() - start < 300ms);
    }
}

namespace {

// Every pod probing every other pod of its network, timed twice: cold (neighbours
// still to resolve) and warm. Prints the figures; the bound is loose for a loaded CI.
void probe_all_pairs(int pods, const std::string& netns_prefix, const std::string& address_prefix,
                     std::uint8_t expected_ttl) {
    std::vector<Probe> probes;
    for (int from = 1; from <= pods; ++from) {
        for (int to = 1; to <= pods; ++to) {
            if (from == to) continue;
            probes.push_back(probe(fmt::format("{}{}", netns_prefix, from), fmt::format("{}{}", address_prefix, to)));
        }
    }
    ProbeOptions options;
    options.timeout = 3000ms;
    options.retries = 3;
    for (const char* round : {"cold", "warm"}) {
        const auto started = SteadyClock::now();
        auto results = run_probes(probes, options);
        const std::chrono::duration<double, std::milli> elapsed = SteadyClock::now() - started;
        REQUIRE(results);
        const auto failed = std::count_if(results->begin(), results->end(), [](const ProbeResult& r) { return !r.ok; });
        const auto first = std::find_if(results->begin(), results->end(), [](const ProbeResult& r) { return !r.ok; });
        INFO((first == results->end() ? std::string() : first->error));
        CHECK(failed == 0);
        CHECK(std::all_of(results->begin(), results->end(),
                          [&](const ProbeResult& r) { return r.ttl == expected_ttl; }));
        int requests = 0;
        double slowest = 0;
        for (const ProbeResult& r : *results) {
            requests += r.attempts;
            slowest = std::max(slowest, r.rtt_ms);
        }
        fmt::print(stderr,
                   "icmp_probe_kernel_test: {} pods, {} probes, {}: {:.1f} ms ({:.0f} probes/s), {} echo requests, "
                   "slowest reply {:.2f} ms\n",
                   pods, probes.size(), round, elapsed.count(), probes.size() / (elapsed.count() / 1000), requests,
                   slowest);
        CHECK(elapsed.count() < 3000);
    }
}

}  // namespace

// 110 pods of the article's route network (the 110-pod node), 11,990 probes. Each
// pod resolves one neighbour (the gateway) and the host one per pod.
TEST_CASE("probes: 110 routed pods, each probing the 109 others", "[.kernel]") {
    constexpr int kPods = 110;
    std::string setup = "ip link add uplink0 type veth peer name uplink1\nip link set uplink1 up\n"
                        "ip link set uplink0 up\nip route add 169.254.1.1/32 dev uplink0\n{\n";
    for (int i = 1; i <= kPods; ++i) {
        setup += fmt::format("echo 'netns add pm{0}'\n"
                             "echo 'link add vm{0} type veth peer name eth0 netns pm{0}'\n"
                             "echo 'link set vm{0} up'\n"
                             "echo 'ntable change name arp_cache dev vm{0} proxy_delay 0'\n"
                             "echo 'route add 10.50.0.{0}/32 dev vm{0} scope link'\n", i);
    }
    setup += "} | ip -batch -\n";
    for (int i = 1; i <= kPods; ++i) {
        setup += fmt::format("echo 1 > /proc/sys/net/ipv4/conf/vm{0}/proxy_arp\n"
                             "echo 1 > /proc/sys/net/ipv4/conf/vm{0}/forwarding\n"
                             "printf '%s\\n' 'addr add 10.50.0.{0}/32 dev eth0' 'link set eth0 up' "
                             "'route add 169.254.1.1/32 dev eth0 scope link' 'route add default via 169.254.1.1 dev eth0' "
                             "| ip -n pm{0} -batch -\n", i);
    }
    run_script(setup);
    probe_all_pairs(kPods, "pm", "10.50.0.", 63);

    std::string teardown;
    for (int i = 1; i <= kPods; ++i) teardown += fmt::format("echo 'link del vm{0}'\necho 'netns del pm{0}'\n", i);
    run_script("{\n" + teardown + "} | ip -batch -\nip link del uplink0\n");
}

// On a bridge every pair of pods is a neighbour entry, and the ARP table is one
// table for all namespaces of the machine (gc_thresh3, 1024 by default, counts them
// all): 110 pods probing all pairs would need 11,990 entries and overflow it for
// everybody. 16 pods need 240.
TEST_CASE("probes: 16 pods on one bridge, all pairs", "[.kernel]") {
    constexpr int kPods = 16;
    std::string setup = "ip link add br-many type bridge\nip link set br-many up\n";
    for (int i = 1; i <= kPods; ++i) {
        setup += fmt::format("ip netns add pn{0}\nip link add vn{0} type veth peer name eth0 netns pn{0}\n"
                             "ip link set vn{0} master br-many up\n"
                             "ip -n pn{0} addr add 10.60.0.{0}/24 dev eth0\nip -n pn{0} link set eth0 up\n", i);
    }
    run_script(setup);
    probe_all_pairs(kPods, "pn", "10.60.0.", 64);

    std::string teardown;
    for (int i = 1; i <= kPods; ++i) teardown += fmt::format("ip link del vn{0}\nip netns del pn{0}\n", i);
    run_script(teardown + "ip link del br-many\n");
}
