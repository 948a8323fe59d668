// Addresses, prefixes and MACs print the way iproute2 and the kernel docs write
// them, and every text parses back to the same value.
#include <catch2/catch.hpp>

#include <cstdint>

#include "compiler/net/net_types.hpp"

using podnetc::ip::Address;
using podnetc::ip::Prefix;
using podnetc::Mac;
namespace ip = podnetc::ip;

TEST_CASE("ip::Address::str: dotted decimal without leading zeros, every octet width") {
    CHECK(ip::Address::v4(0).str() == "0.0.0.0");
    CHECK(ip::Address::v4(0xffffffffu).str() == "255.255.255.255");
    CHECK(ip::Address::v4(0x0a000109u).str() == "10.0.1.9");
    CHECK(ip::Address::v4(0xa9fe0101u).str() == "169.254.1.1");
    CHECK(ip::Address::v4(0x640a6409u).str() == "100.10.100.9");
    // Every octet value in every position reads back.
    for (std::uint32_t octet = 0; octet < 256; ++octet) {
        const ip::Address a = ip::Address::v4((octet << 24) | (octet << 16) | ((255 - octet) << 8) | octet);
        const auto back = ip::Address::parse_v4(a.str());
        REQUIRE(back.has_value());
        CHECK(back->v4_value() == a.v4_value());
    }
}

TEST_CASE("ip::Prefix::str always has its length") {
    CHECK(ip::Prefix{ip::Address::v4(0), 0}.str() == "0.0.0.0/0");
    CHECK(ip::Prefix{ip::Address::v4(0x0a0a010au), 32}.str() == "10.10.1.10/32");
    CHECK(ip::Prefix{ip::Address::v4(0x0a0a010au), 24}.str() == "10.10.1.10/24");
    CHECK(ip::Prefix{ip::Address::v4(0x0a000000u), 8}.str() == "10.0.0.0/8");
    for (std::uint8_t len = 0; len <= 32; ++len) {
        const ip::Prefix p{ip::Address::v4(0xc0a80001u), len};
        CHECK(ip::Prefix::parse(p.str()) == p);
    }
}

TEST_CASE("Mac::str: lower-case hex pairs separated by colons") {
    CHECK(Mac{}.str() == "00:00:00:00:00:00");
    CHECK(Mac{{0xee, 0xee, 0xee, 0xee, 0xee, 0xee}}.str() == "ee:ee:ee:ee:ee:ee");
    CHECK(Mac{{0x02, 0x00, 0x0a, 0x0a, 0x01, 0xff}}.str() == "02:00:0a:0a:01:ff");
    const Mac m{{0x01, 0x23, 0x45, 0x67, 0x89, 0xab}};
    CHECK(m.str() == "01:23:45:67:89:ab");
    CHECK(Mac::parse(m.str()) == m);
}
