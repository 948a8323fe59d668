// ICMP echo messages: checksum, building, parsing, the IPv4 header of raw sockets.
#include <catch2/catch.hpp>

#include <vector>

#include "runtime/probe/icmp_packet.hpp"

using namespace podnetc;
using namespace podnetc::rt::icmp;

namespace {

std::vector<std::byte> bytes(std::initializer_list<int> values) {
    std::vector<std::byte> out;
    for (int v : values) out.push_back(static_cast<std::byte>(v));
    return out;
}

}  // namespace

TEST_CASE("internet_checksum: RFC 1071's example, odd lengths, and a message that checks to zero") {
    // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (end-around carry).
    CHECK(internet_checksum(bytes({0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7})) == static_cast<std::uint16_t>(~0xddf2));
    CHECK(internet_checksum({}) == 0xffff);
    // An odd last byte counts as the high byte of a word padded with zero.
    CHECK(internet_checksum(bytes({0x12})) == internet_checksum(bytes({0x12, 0x00})));
    CHECK(internet_checksum(bytes({0xff, 0xff, 0xff, 0xff})) == 0x0000);

    // The echo request of `ping` with id 0x1234, sequence 1 and no payload:
    // 0800 + 1234 + 0001 = 1a35, checksum e5ca.
    auto message = bytes({0x08, 0x00, 0x00, 0x00, 0x12, 0x34, 0x00, 0x01});
    CHECK(internet_checksum(message) == 0xe5ca);
    message[2] = std::byte{0xe5};
    message[3] = std::byte{0xca};
    CHECK(internet_checksum(message) == 0);
}

TEST_CASE("build_echo_request: header, tag and checksum in network byte order") {
    const EchoTag tag{0x0102030405060708ull, 0x0a0b0c0du, 0x0e0f};
    const auto message = build_echo_request(0xbeef, 0x0102, tag);
    const auto expected = bytes({0x08, 0x00, -1, -1, 0xbe, 0xef, 0x01, 0x02,                 // header
                                 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,             // cookie
                                 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x00, 0x00});           // probe, attempt
    REQUIRE(message.size() == expected.size());
    for (std::size_t i = 0; i < message.size(); ++i) {
        if (i == 2 || i == 3) continue;
        INFO("byte " << i);
        CHECK(message[i] == expected[i]);
    }
    CHECK(internet_checksum(message) == 0);
}

TEST_CASE("parse_echo: reads back what was built, and refuses what is not an intact echo") {
    const EchoTag tag{0xfeedfacecafebeefull, 11989, 3};
    auto message = build_echo_request(7, 65535, tag);

    auto echo = parse_echo(message, true);
    REQUIRE(echo);
    CHECK(echo->type == kEchoRequest);
    CHECK(echo->id == 7);
    CHECK(echo->sequence == 65535);
    REQUIRE(echo->tag);
    CHECK(*echo->tag == tag);

    SECTION("a reply: the peer changes the type and adjusts the checksum") {
        message[0] = std::byte{kEchoReply};
        message[2] = std::byte{0};
        message[3] = std::byte{0};
        const std::uint16_t sum = internet_checksum(message);
        message[2] = static_cast<std::byte>(sum >> 8);
        message[3] = static_cast<std::byte>(sum & 0xff);
        echo = parse_echo(message, true);
        REQUIRE(echo);
        CHECK(echo->type == kEchoReply);
        CHECK(*echo->tag == tag);
    }
    SECTION("a flipped bit fails the checksum, unless checking is off (quoted requests)") {
        message[18] ^= std::byte{0x40};  // inside the probe index
        CHECK_FALSE(parse_echo(message, true));
        auto quoted = parse_echo(message, false);
        REQUIRE(quoted);
        CHECK(quoted->tag->probe != tag.probe);
    }
    SECTION("other types and non-zero codes are not echoes") {
        message[0] = std::byte{kDestinationUnreachable};
        CHECK_FALSE(parse_echo(message, false));
        message[0] = std::byte{kEchoRequest};
        message[1] = std::byte{1};
        CHECK_FALSE(parse_echo(message, false));
    }
    SECTION("a quote cut after the header has no tag; shorter than a header is nothing") {
        echo = parse_echo(std::span(message).first(kHeaderSize), false);
        REQUIRE(echo);
        CHECK(echo->sequence == 65535);
        CHECK_FALSE(echo->tag);
        CHECK_FALSE(parse_echo(std::span(message).first(kEchoSize - 1), false)->tag);
        CHECK_FALSE(parse_echo(std::span(message).first(kHeaderSize - 1), false));
    }
}

TEST_CASE("split_ipv4: the header a raw socket delivers, with its TTL") {
    // 10.10.1.11 -> 10.10.1.10, TTL 63, ICMP, total length 20 + 8, then 4 bytes of padding.
    auto packet = bytes({0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x3f, 0x01, 0x00, 0x00,
                         0x0a, 0x0a, 0x01, 0x0b, 0x0a, 0x0a, 0x01, 0x0a,
                         0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
                         0xee, 0xee, 0xee, 0xee});
    auto split = split_ipv4(packet);
    REQUIRE(split);
    CHECK(split->source == *ip::Address::parse_v4("10.10.1.11"));
    CHECK(split->destination == *ip::Address::parse_v4("10.10.1.10"));
    CHECK(split->ttl == 63);
    CHECK(split->protocol == kIpProtocolIcmp);
    CHECK(split->payload.size() == 8);  // up to the total length, not the padding
    CHECK(split->payload.data() == packet.data() + 20);

    SECTION("options make the header longer") {
        auto with_options = packet;
        with_options[0] = std::byte{0x46};
        with_options[3] = std::byte{0x20};
        split = split_ipv4(with_options);
        REQUIRE(split);
        CHECK(split->payload.data() == with_options.data() + 24);
        CHECK(split->payload.size() == 8);
    }
    SECTION("refused: IPv6, a header shorter than 20 bytes, lengths beyond the data") {
        packet[0] = std::byte{0x65};
        CHECK_FALSE(split_ipv4(packet));
        packet[0] = std::byte{0x44};
        CHECK_FALSE(split_ipv4(packet));
        packet[0] = std::byte{0x45};
        packet[3] = std::byte{0x40};
        CHECK_FALSE(split_ipv4(packet));
        packet[3] = std::byte{0x10};  // total length inside the header
        CHECK_FALSE(split_ipv4(packet));
        CHECK_FALSE(split_ipv4(std::span(packet).first(19)));
    }
}

TEST_CASE("describe_icmp_error: the words for the errors a probe meets") {
    CHECK(describe_icmp_error(kDestinationUnreachable, 1) == "destination host unreachable");
    CHECK(describe_icmp_error(kDestinationUnreachable, 0) == "destination network unreachable");
    CHECK(describe_icmp_error(kDestinationUnreachable, 13) == "communication administratively prohibited");
    CHECK(describe_icmp_error(kTimeExceeded, 0) == "time to live exceeded in transit");
    CHECK(describe_icmp_error(kParameterProblem, 0) == "parameter problem");
    CHECK(describe_icmp_error(kDestinationUnreachable, 15) == "ICMP type 3 code 15");
    CHECK(describe_icmp_error(5, 1) == "ICMP type 5 code 1");
}
