// Every semantic check of docs/LANGUAGE.md ("Checks"): message text, location and
// notes, one small file per kind of problem.
#include <catch2/catch.hpp>

#include "tests/unit/lower/lower_support.hpp"

using podnetc::test::lower_text;

namespace {

// The diagnostics of a text (lowered for node "").
std::string problems(const std::string& text) { return lower_text(text).summary(); }

}  // namespace

TEST_CASE("duplicate networks and pods point at the first declaration") {
    CHECK(problems("network n mode route subnet 10.0.0.0/24\n"
                   "network n mode route subnet 10.1.0.0/24\n"
                   "pod p on n address 10.0.0.2\n"
                   "pod p on n address 10.0.0.3\n") ==
          "2:9 error: duplicate network 'n'\n"
          "  1:9 note: first declared here\n"
          "4:5 error: duplicate pod 'p'\n"
          "  3:5 note: first declared here\n");
}

TEST_CASE("duplicate interface names in one pod") {
    CHECK(problems("network n mode bridge subnet 10.0.0.0/24\n"
                   "pod p {\n"
                   "  eth1 on n address 10.0.0.2\n"
                   "  eth1 on n address 10.0.0.3\n"
                   "}\n") ==
          "4:3 error: duplicate interface 'eth1' in pod 'p'\n"
          "  3:3 note: first declared here\n");
}

TEST_CASE("names in the host namespace: host veths and bridges") {
    CHECK(problems("network br mode bridge subnet 10.0.0.0/24 bridge cbr0\n"
                   "network other mode bridge subnet 10.1.0.0/24 bridge cbr0\n"
                   "pod a on br address 10.0.0.2 host-veth veth1\n"
                   "pod b on br address 10.0.0.3 host-veth veth1\n"
                   "pod c on br address 10.0.0.4 host-veth cbr0\n") ==
          "2:9 warning: network 'other' is not used by any pod\n"
          "2:53 error: bridge 'cbr0' of network 'other' is also the bridge of network 'br'\n"
          "  1:50 note: first declared here\n"
          "4:40 error: duplicate host-veth 'veth1'\n"
          "  3:40 note: first used here by pod 'a'\n"
          "5:40 error: host-veth 'cbr0' has the name of the bridge of network 'br'\n"
          "  1:50 note: the bridge is declared here\n");
}

TEST_CASE("a derived host-veth name that collides is reported with a hint to name it") {
    // pod 'q' names its veth after the name derived for p/eth0.
    auto lowered = lower_text("network n mode route subnet 10.0.0.0/24\n"
                              "pod p on n address 10.0.0.2\n"
                              "pod q on n address 10.0.0.3 host-veth placeholder\n");
    REQUIRE(lowered.ir);
    const std::string derived = lowered.ir->pods[0].attachments[0].host_veth;
    CHECK(problems("network n mode route subnet 10.0.0.0/24\n"
                   "pod p on n address 10.0.0.2\n"
                   "pod q on n address 10.0.0.3 host-veth " + derived + "\n") ==
          "3:39 error: duplicate host-veth '" + derived + "'\n"
          "  2:7 note: first used here by pod 'p'\n"
          "  note: derived names are hashes and can collide, however rarely: set `host-veth` on one of these "
          "interfaces\n");
}

TEST_CASE("interface names the kernel refuses") {
    CHECK(problems("network n mode bridge subnet 10.0.0.0/24\n"
                   "network long-network-name mode bridge subnet 10.1.0.0/24\n"
                   "pod p {\n"
                   "  a-very-long-ifname on n address 10.0.0.2 host-veth x:y\n"
                   "  lo on long-network-name address 10.1.0.2\n"
                   "}\n") ==
          "2:9 error: interface name 'long-network-name' is 17 bytes long; the kernel allows at most 15\n"
          "  note: the bridge is named after its network; choose a valid name with `bridge IFNAME`\n"
          "4:3 error: interface name 'a-very-long-ifname' is 18 bytes long; the kernel allows at most 15\n"
          "4:54 error: interface name 'x:y' contains ':', which the kernel refuses\n"
          "5:3 error: interface name 'lo' is taken by the pod's loopback device\n");
}

TEST_CASE("malformed addresses, prefixes, MACs and numbers say what is wrong") {
    CHECK(problems("network a mode route subnet 10.0.0.0\n"
                   "network b mode route subnet 10.1.0.0/33\n"
                   "network c mode bridge subnet 10.2.0.5/16 gateway 10.2.0.1/16 mtu 01500\n"
                   "network d mode mesh subnet 10.3.0.0/24 mtu 70000 max-pairs x\n"
                   "pod p {\n"
                   "  on a address 10.0.0.300\n"
                   "  on a address 10.0.1 mac 02:00:00:00:00 host-mac 03:00:00:00:00:01\n"
                   "  on a address 10.0.0.9/ mtu 1e3 host-mac 00:00:00:00:00:00\n"
                   "}\n") ==
          "1:29 error: malformed subnet '10.0.0.0': missing prefix length (like /24)\n"
          "2:9 warning: network 'b' is not used by any pod\n"
          "2:29 error: malformed subnet '10.1.0.0/33': prefix length 33 > 32\n"
          "3:9 warning: network 'c' is not used by any pod\n"
          "3:30 error: subnet 10.2.0.5/16 has host bits set\n"
          "  note: did you mean 10.2.0.0/16?\n"
          "3:50 error: gateway '10.2.0.1/16' must be an address without prefix length\n"
          "3:66 error: mtu '01500' has a leading zero\n"
          "4:9 warning: network 'd' is not used by any pod\n"
          "4:44 error: mtu 70000 is out of range (68..65535)\n"
          "4:60 error: max-pairs 'x' is not a decimal number\n"
          "6:16 error: malformed address '10.0.0.300': octet 300 is out of range (0..255)\n"
          "7:16 error: malformed address '10.0.1': expected 4 octets separated by '.', found 3\n"
          "7:27 error: malformed mac '02:00:00:00:00': expected six two-digit hex bytes separated by ':' (like "
          "02:00:0a:0a:01:0a)\n"
          "7:51 error: host-mac 03:00:00:00:00:01 is a multicast address\n"
          "  note: the lowest bit of the first byte marks multicast; locally administered unicast MACs start with "
          "x2, x6, xa or xe\n"
          "8:16 error: malformed address '10.0.0.9/': missing prefix length after '/'\n"
          "8:30 error: mtu '1e3' is not a decimal number\n"
          "8:43 error: host-mac 00:00:00:00:00:00 is all zeros\n");
}

TEST_CASE("addresses must lie in the subnet, once per node, and not be a gateway") {
    CHECK(problems("network n mode bridge subnet 10.0.0.0/24 gateway 10.0.0.1\n"
                   "network r mode route subnet 10.1.0.0/24\n"
                   "network ll mode route subnet 169.254.0.0/16 gateway 10.9.9.9\n"
                   "pod a on n address 10.0.1.2\n"
                   "pod b on n address 10.0.0.1\n"
                   "pod c { on n address 10.0.0.3; on r address 10.1.0.3 address 10.1.0.3 }\n"
                   "pod d on r address 10.1.0.3\n"
                   "pod e on ll address 169.254.1.1\n") ==
          "4:20 error: address 10.0.1.2 is outside subnet 10.0.0.0/24 of network 'n'\n"
          "  1:30 note: subnet declared here\n"
          "5:20 error: address 10.0.0.1 is the gateway of network 'n'\n"
          "  1:50 note: gateway declared here\n"
          "6:62 error: address 10.1.0.3 is given twice in pod 'c'\n"
          "  6:45 note: first assigned here\n"
          "7:20 error: address 10.1.0.3 is also assigned to pod 'c'\n"
          "  6:45 note: first assigned here\n"
          "8:21 error: address 169.254.1.1 is the gateway of network 'r'\n"
          "  2:9 note: 169.254.1.1 is the default gateway of a route network; this one is declared here\n");
}

TEST_CASE("gateways: a bridge's inside its subnet, a route network's outside") {
    CHECK(problems("network b mode bridge subnet 10.0.0.0/24 gateway 10.0.1.1\n"
                   "network r mode route subnet 10.1.0.0/24 gateway 10.1.0.1\n"
                   "network w mode bridge subnet 10.2.0.0/24 gateway 10.2.0.255\n"
                   "pod p { on b address 10.0.0.2; on r address 10.1.0.2; on w address 10.2.0.2 }\n") ==
          "1:50 error: gateway 10.0.1.1 is outside subnet 10.0.0.0/24 of network 'b'\n"
          "  1:30 note: subnet declared here\n"
          "  note: a bridge's gateway is the bridge's own address on the pods' segment, so it must lie in the "
          "subnet\n"
          "2:49 error: gateway 10.1.0.1 lies inside subnet 10.1.0.0/24 of route network 'r'\n"
          "  2:29 note: subnet declared here\n"
          "  note: a route network's gateway is a next hop that no pod owns; the default is 169.254.1.1\n"
          "3:50 warning: gateway 10.2.0.255 is the broadcast address of subnet 10.2.0.0/24\n");
}

TEST_CASE("overlapping subnets are reported at the later network") {
    CHECK(problems("network a mode route subnet 10.0.1.0/24\n"
                   "network b mode route subnet 10.0.0.0/16\n"
                   "network c mode route subnet 10.1.0.0/16\n"
                   "network d mode route subnet 10.1.0.0/16\n"
                   "pod p { on a address 10.0.1.2; on b address 10.0.2.2; on c address 10.1.0.2; "
                   "on d address 10.1.0.3 }\n") ==
          "2:29 error: subnet 10.0.0.0/16 of network 'b' overlaps subnet 10.0.1.0/24 of network 'a'\n"
          "  1:29 note: network 'a' declares its subnet here\n"
          "4:29 error: subnet 10.1.0.0/16 of network 'd' overlaps subnet 10.1.0.0/16 of network 'c'\n"
          "  3:29 note: network 'c' declares its subnet here\n");
}

TEST_CASE("unknown networks, options and modes suggest the closest name") {
    CHECK(problems("network pods mode rout subnet 10.0.0.0/24 gatway 169.254.1.1\n"
                   "network mesh1 mode mesh subnet 10.1.0.0/24 adress 10.1.0.1\n"
                   "pod p on podz address 10.0.0.2 hostveth v\n"
                   "pod q address 10.0.0.3 on pods\n") ==
          "1:19 error: unknown mode 'rout'\n"
          "  note: did you mean 'route'?\n"
          "1:43 error: unknown network option 'gatway'\n"
          "  note: did you mean 'gateway'?\n"
          "2:9 warning: network 'mesh1' is not used by any pod\n"
          "2:44 error: unknown network option 'adress'\n"
          "  note: did you mean 'address'? 'address' is an option of a pod's interface, not of a network\n"
          "3:10 error: unknown network 'podz'\n"
          "  note: did you mean 'pods'?\n"
          "3:32 error: unknown interface option 'hostveth'\n"
          "  note: did you mean 'host-veth'?\n"
          "4:7 error: unknown pod option 'address'\n"
          "  note: 'address' is an option of the pod's interface: write it after `on NETWORK`\n");
}

TEST_CASE("options that make no sense for the network's mode") {
    CHECK(problems("network m mode mesh subnet 10.0.0.0/24 gateway 10.0.0.1 bridge br0\n"
                   "network r mode route subnet 10.1.0.0/24 max-pairs 10 adopt\n"
                   "pod p on m address 10.0.0.2 host-veth v default-route\n"
                   "pod q on r address 10.1.0.2\n") ==
          "1:40 error: option 'gateway' makes no sense for a mesh network\n"
          "  1:16 note: network 'm' is declared with mode mesh here\n"
          "  note: mesh pods reach their peers directly; there is no gateway\n"
          "1:57 error: option 'bridge' makes no sense for a mesh network\n"
          "  1:16 note: network 'm' is declared with mode mesh here\n"
          "  note: only a bridge network has a bridge device\n"
          "2:41 error: option 'max-pairs' makes no sense for a route network\n"
          "  2:16 note: network 'r' is declared with mode route here\n"
          "  note: only a mesh makes a veth pair for every two pods\n"
          "2:54 error: option 'adopt' makes no sense for a route network\n"
          "  2:16 note: network 'r' is declared with mode route here\n"
          "  note: a network's `adopt` takes over an existing bridge; to take over a pod's namespace and devices, "
          "write `adopt` on the pod\n"
          "3:29 error: option 'host-veth' makes no sense for a mesh network\n"
          "  1:16 note: network 'm' is declared with mode mesh here\n"
          "  note: a mesh pair has no end in the host namespace\n"
          "3:41 error: option 'default-route' makes no sense for a mesh network\n"
          "  1:16 note: network 'm' is declared with mode mesh here\n"
          "  note: a mesh has no gateway; each pod gets one route per peer address\n");
}

TEST_CASE("missing mode, subnet, address; repeated and valueless options") {
    CHECK(problems("network a subnet 10.0.0.0/24\n"
                   "network b mode route\n"
                   "network c mode route subnet 10.2.0.0/24 mtu 1500 mtu 9000\n"
                   "pod p { on a address 10.0.0.2; on b address 10.1.0.2; on c host-veth v }\n") ==
          "1:9 error: network 'a' has no mode\n"
          "  note: add `mode bridge`, `mode route` or `mode mesh`\n"
          "2:9 error: network 'b' has no subnet\n"
          "  note: add `subnet CIDR`, like `subnet 10.244.1.0/24`\n"
          "3:50 error: option 'mtu' is given twice\n"
          "  3:41 note: first given here\n"
          "4:55 error: interface on network 'c' has no address\n"
          "  note: add `address ADDR`\n");
}

TEST_CASE("two default-route interfaces in one pod") {
    CHECK(problems("network a mode route subnet 10.0.0.0/24\n"
                   "network b mode bridge subnet 10.1.0.0/24\n"
                   "pod p {\n"
                   "  on a address 10.0.0.2 default-route\n"
                   "  on b address 10.1.0.2 default-route\n"
                   "}\n") ==
          "5:25 error: pod 'p' has two default-route interfaces\n"
          "  4:25 note: the first one is here\n");
}

TEST_CASE("a pod without interfaces is a warning") {
    auto lowered = lower_text("pod lonely\n");
    CHECK(lowered.summary() ==
          "1:5 warning: pod 'lonely' has no interfaces\n"
          "  note: it gets a network namespace with only `lo`; attach it with `on NETWORK address ADDR`\n");
    REQUIRE(lowered.ir);
    CHECK(podnetc::test::render_kernel(*lowered.ir) == "netns lonely\n");
}

TEST_CASE("pod names must be namespace names") {
    CHECK(problems("network n mode route subnet 10.0.0.0/24\npod a/b on n address 10.0.0.2\n") ==
          "2:5 error: namespace name 'a/b' contains '/'\n"
          "  note: a pod's name is the name of its network namespace\n");
}

TEST_CASE("meshes: too many pairs, the same two pods in two meshes, interface names") {
    CHECK(problems("network m mode mesh subnet 10.0.0.0/24 max-pairs 2\n"
                   "pod a on m address 10.0.0.1\n"
                   "pod b on m address 10.0.0.2\n"
                   "pod c on m address 10.0.0.3\n") ==
          "1:9 error: mesh 'm' needs 3 veth pairs for 3 pods; max-pairs is 2\n"
          "  note: raise `max-pairs` if you mean it, or connect the pods with a bridge or route network\n");
    CHECK(problems("network m1 mode mesh subnet 10.0.0.0/24\n"
                   "network m2 mode mesh subnet 10.1.0.0/24\n"
                   "pod a { on m1 address 10.0.0.1; on m2 address 10.1.0.1 }\n"
                   "pod b { on m1 address 10.0.0.2; on m2 address 10.1.0.2 }\n") ==
          "4:33 error: pods 'a' and 'b' are in both mesh 'm1' and mesh 'm2'\n"
          "  3:33 note: pod 'a' joins mesh 'm2' here\n"
          "  note: two pods can share one mesh only: each would get two interfaces named after the other\n");
    CHECK(problems("network m mode mesh subnet 10.0.0.0/24\n"
                   "network r mode route subnet 10.1.0.0/24\n"
                   "pod eth0 on m address 10.0.0.1\n"
                   "pod b { on r address 10.1.0.2; on m address 10.0.0.2 }\n"
                   "pod c { peer on m address 10.0.0.3 }\n"
                   "pod d { on m address 10.0.0.4; on m address 10.0.0.5 }\n") ==
          "4:9 error: interface 'eth0' of pod 'b' has the name of its interface towards pod 'eth0' in mesh 'm'\n"
          "  3:5 note: pod 'eth0' is declared here\n"
          "5:9 error: a mesh interface cannot be named\n"
          "  note: a pod gets one interface per peer in a mesh, named after the peer pod\n"
          "6:32 error: pod 'd' joins mesh 'm' twice\n"
          "  6:9 note: first joined here\n"
          "  note: give all its addresses in one interface line\n");
}

TEST_CASE("the mesh limit message counts with thousands separators") {
    std::string text = "network m mode mesh subnet 10.0.0.0/24\nfor i in 1..50 {\n  pod p{i} on m address 10.0.0.{i}\n}\n";
    CHECK(problems(text) ==
          "1:9 error: mesh 'm' needs 1,225 veth pairs for 50 pods; max-pairs is 1,024\n"
          "  note: raise `max-pairs` if you mean it, or connect the pods with a bridge or route network\n");
}

TEST_CASE("pod addresses equal to the subnet's network or broadcast address are warnings") {
    auto lowered = lower_text("network n mode bridge subnet 10.0.0.0/24\n"
                              "network p2p mode route subnet 10.1.0.0/31\n"
                              "pod a { on n address 10.0.0.0; on p2p address 10.1.0.0 }\n"
                              "pod b { on n address 10.0.0.255; on p2p address 10.1.0.1 }\n");
    CHECK(lowered.summary() ==
          "3:22 warning: address 10.0.0.0 is the network address of subnet 10.0.0.0/24\n"
          "4:22 warning: address 10.0.0.255 is the broadcast address of subnet 10.0.0.0/24\n");
    CHECK(lowered.ir);
}

TEST_CASE("many problems of one file come out in one run") {
    auto lowered = lower_text("network pods mode route subnet 10.0.0.0/24\n"
                              "network pods mode route subnet 10.1.0.0/24\n"
                              "pod a on pods address 10.0.0.300\n"
                              "pod b on pods address 10.0.1.2 mtu 10\n"
                              "pod c on podz address 10.0.0.4\n");
    CHECK(!lowered.ir);
    CHECK(lowered.diagnostics.error_count() == 5);
}
