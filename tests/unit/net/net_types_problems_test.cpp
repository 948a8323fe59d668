// The *_problem() explanations agree with parse() and say what is wrong.
#include <catch2/catch.hpp>

#include "compiler/net/net_types.hpp"

using podnetc::ip::Address;
using podnetc::ip::Prefix;
namespace ip = podnetc::ip;
using podnetc::Mac;

TEST_CASE("ipv4_problem explains exactly what parse() refuses") {
    CHECK(podnetc::ipv4_problem("10.0.0.1").empty());
    CHECK(podnetc::ipv4_problem("10.0.0.300") == "octet 300 is out of range (0..255)");
    CHECK(podnetc::ipv4_problem("10.0.0") == "expected 4 octets separated by '.', found 3");
    CHECK(podnetc::ipv4_problem("10.0.0.1.2") == "expected 4 octets separated by '.', found 5");
    CHECK(podnetc::ipv4_problem("10..0.1") == "empty octet");
    CHECK(podnetc::ipv4_problem("10.0.0.01") == "octet '01' has a leading zero");
    CHECK(podnetc::ipv4_problem("10.0.x.1") == "octet 'x' is not a decimal number");
    CHECK(podnetc::ipv4_problem("10.0.0.99999999999") == "octet 99999999999 is out of range (0..255)");
    CHECK(podnetc::ipv4_problem("") == "empty address");
    for (const char* text : {"10.0.0.1", "10.0.0.300", "10.0.0", "10..0.1", "10.0.0.01", "1.2.3.4.", "255.255.255.255"}) {
        CHECK(podnetc::ipv4_problem(text).empty() == ip::Address::parse_v4(text).has_value());
    }
}

TEST_CASE("ipv4_prefix_problem explains prefix lengths") {
    CHECK(podnetc::ipv4_prefix_problem("10.0.0.0/24", true).empty());
    CHECK(podnetc::ipv4_prefix_problem("10.0.0.0", false).empty());
    CHECK(podnetc::ipv4_prefix_problem("10.0.0.0", true) == "missing prefix length (like /24)");
    CHECK(podnetc::ipv4_prefix_problem("10.0.0.0/33", true) == "prefix length 33 > 32");
    CHECK(podnetc::ipv4_prefix_problem("10.0.0.0/", true) == "missing prefix length after '/'");
    CHECK(podnetc::ipv4_prefix_problem("10.0.0.0/024", true) == "prefix length '024' has a leading zero");
    CHECK(podnetc::ipv4_prefix_problem("10.0.0.0/a", true) == "prefix length 'a' is not a decimal number");
    CHECK(podnetc::ipv4_prefix_problem("10.0.0.256/8", true) == "octet 256 is out of range (0..255)");
    for (const char* text : {"10.0.0.0/24", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/024", "1.2.3.4/0", "1.2.3.4/32/1"}) {
        CHECK(podnetc::ipv4_prefix_problem(text, true).empty() == ip::Prefix::parse(text).has_value());
    }
}

TEST_CASE("mac_problem and netns_name_problem") {
    CHECK(podnetc::mac_problem("02:00:0a:0a:01:0a").empty());
    CHECK(!podnetc::mac_problem("02:00:0a:0a:01").empty());
    CHECK(!podnetc::mac_problem("02-00-0a-0a-01-0a").empty());
    CHECK(podnetc::netns_name_problem("pod-1").empty());
    CHECK(podnetc::netns_name_problem("..") == "'..' is not a valid namespace name");
    CHECK(podnetc::netns_name_problem("a/b") == "namespace name 'a/b' contains '/'");
    CHECK(podnetc::netns_name_problem(std::string(256, 'x')) == "namespace name is 256 bytes long; at most 255 are allowed");
}
