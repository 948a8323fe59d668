#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "compiler/net/ip.hpp"

namespace ip = podnetc::ip;

namespace {

std::string v6_text(const char* text) {
    const auto a = ip::Address::parse(text);
    REQUIRE(a.has_value());
    CHECK(a->family() == ip::Family::v6);
    return a->str();
}

}  // namespace

TEST_CASE("ip::Address: IPv6 text is printed in RFC 5952 form") {
    CHECK(v6_text("::") == "::");
    CHECK(v6_text("::1") == "::1");
    CHECK(v6_text("fd00::1") == "fd00::1");
    // Leading zeros go, hex is lower case, the longest run of zero groups becomes "::".
    CHECK(v6_text("2001:0DB8:0000:0000:0000:FF00:0042:8329") == "2001:db8::ff00:42:8329");
    // Of two equally long runs the first is compressed; a single zero group never is.
    CHECK(v6_text("2001:db8:0:0:1:0:0:1") == "2001:db8::1:0:0:1");
    CHECK(v6_text("2001:db8:0:1:1:1:1:1") == "2001:db8:0:1:1:1:1:1");
    CHECK(v6_text("1:2:3:4:5:6:7::") == "1:2:3:4:5:6:7:0");
    CHECK(v6_text("::2:3:4:5:6:7:8") == "0:2:3:4:5:6:7:8");
    CHECK(v6_text("1:0:0:2:0:0:0:3") == "1:0:0:2::3");
    CHECK(v6_text("fe80::ecee:eeff:feee:eeee") == "fe80::ecee:eeff:feee:eeee");
    // An IPv4-mapped address ends in a dotted quad (RFC 5952 §5); a trailing quad parses.
    CHECK(v6_text("::ffff:192.0.2.1") == "::ffff:192.0.2.1");
    CHECK(v6_text("::ffff:c000:0201") == "::ffff:192.0.2.1");
    CHECK(v6_text("64:ff9b::192.0.2.33") == "64:ff9b::c000:221");
}

TEST_CASE("ip::Address: malformed IPv6 text is refused") {
    for (const char* text : {":", ":::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
                             "g::", "::1.2.3", "1:2:3:4:5:6:7::8", "1:", ":1", "1::2:", "::ffff:256.0.0.1",
                             "1:2:3:4:5:6:7:1.2.3.4", "fe80::1%eth0", ""}) {
        INFO(text);
        CHECK_FALSE(ip::Address::parse(text).has_value());
    }
}

TEST_CASE("ip::Address: families, bytes and order") {
    const auto v4 = ip::Address::parse("10.0.0.1").value();
    const auto v6 = ip::Address::parse("::1").value();
    CHECK(v4.is_v4());
    CHECK(v4.bits() == 32);
    CHECK(v6.bits() == 128);
    CHECK(v4.bytes().size() == 4);
    CHECK(v6.bytes().size() == 16);
    CHECK(v4.v4_value() == 0x0a000001u);
    CHECK(v6.v4_value() == 0);
    CHECK(v4 < v6);  // IPv4 before IPv6
    CHECK(ip::Address::parse("10.0.0.2").value() > v4);
    CHECK(ip::Address::parse("fd00::2").value() > ip::Address::parse("fd00::1").value());
    // Network-order bytes give the address back, for both families; other sizes nothing.
    CHECK(ip::Address::from_bytes(v4.bytes()) == v4);
    CHECK(ip::Address::from_bytes(v6.bytes()) == v6);
    const std::array<std::uint8_t, 5> odd{};
    CHECK_FALSE(ip::Address::from_bytes(odd).has_value());
    CHECK(ip::Address{}.is_unspecified());
    CHECK(ip::Address::parse("::").value().is_unspecified());
    CHECK_FALSE(v6.is_unspecified());
}

TEST_CASE("ip::Prefix of either family") {
    const auto subnet = ip::Prefix::parse("fd00:10:244:1::/64").value();
    CHECK(subnet.family() == ip::Family::v6);
    CHECK(subnet.is_network());
    CHECK(subnet.str() == "fd00:10:244:1::/64");
    CHECK(subnet.contains(ip::Address::parse("fd00:10:244:1::5").value()));
    CHECK_FALSE(subnet.contains(ip::Address::parse("fd00:10:244:2::5").value()));
    CHECK_FALSE(subnet.contains(ip::Address::parse("10.0.0.1").value()));  // another family
    CHECK(subnet.last().str() == "fd00:10:244:1:ffff:ffff:ffff:ffff");
    const auto host = ip::Prefix::parse("fd00:10:244:1::5/64").value();
    CHECK_FALSE(host.is_network());
    CHECK(host.network() == subnet.addr);
    CHECK(host.overlaps(subnet));
    CHECK(ip::Prefix::parse("::/0").value().is_default());
    CHECK(ip::Prefix::host(ip::Address::parse("fd00::1").value()).str() == "fd00::1/128");
    CHECK(ip::Prefix::host(ip::Address::parse("10.0.0.1").value()).str() == "10.0.0.1/32");
    CHECK(ip::Prefix::parse("fd00::/128").has_value());
    CHECK_FALSE(ip::Prefix::parse("fd00::/129").has_value());
    CHECK_FALSE(ip::Prefix::parse("10.0.0.0/33").has_value());
    // An uneven length masks inside a byte.
    CHECK(ip::Prefix::parse("fd00:ffff::/20").value().network().str() == "fd00:f000::");
    CHECK(ip::Prefix::parse("10.255.0.0/12").value().network().str() == "10.240.0.0");
    CHECK(ip::Prefix::parse("10.240.0.0/12").value().last().str() == "10.255.255.255");
}
