// Matching echo replies and ICMP errors to the probes in flight.
#include <catch2/catch.hpp>

#include <vector>

#include "runtime/probe/icmp_match.hpp"

using namespace podnetc;
using namespace podnetc::rt::icmp;

namespace {

constexpr std::uint64_t kCookie = 0x5eed5eed5eed5eedull;

ip::Address ipv4(const char* text) { return *ip::Address::parse_v4(text); }

// Socket 0 (echo id 100) probes .11 and .12; socket 1 (echo id 200) probes .11 too.
struct Fixture {
    std::vector<InFlight> probes{
        {0, ipv4("10.10.1.11"), 0, 1},
        {0, ipv4("10.10.1.12"), 1, 2},
        {1, ipv4("10.10.1.11"), 0, 1},
    };
    std::vector<std::uint32_t> socket0_by_sequence{0, 1};
    SocketIdentity socket0{0, 100};
    SocketIdentity socket1{1, 200};
};

Echo reply(std::uint16_t id, std::uint16_t sequence, std::uint32_t probe, std::uint16_t attempt,
           std::uint64_t cookie = kCookie) {
    return Echo{kEchoReply, id, sequence, EchoTag{cookie, probe, attempt}};
}

}  // namespace

TEST_CASE("match_reply: a reply counts only when everything fits one probe in flight") {
    Fixture f;
    CHECK(match_reply(reply(100, 0, 0, 0), ipv4("10.10.1.11"), f.socket0, kCookie, f.probes) == 0u);
    CHECK(match_reply(reply(100, 1, 1, 1), ipv4("10.10.1.12"), f.socket0, kCookie, f.probes) == 1u);
    CHECK(match_reply(reply(200, 0, 2, 0), ipv4("10.10.1.11"), f.socket1, kCookie, f.probes) == 2u);

    // The same target answered on the other socket of the namespace (raw sockets see both).
    CHECK_FALSE(match_reply(reply(200, 0, 2, 0), ipv4("10.10.1.11"), f.socket0, kCookie, f.probes));
    // Another run's (or another program's) reply.
    CHECK_FALSE(match_reply(reply(100, 0, 0, 0, kCookie + 1), ipv4("10.10.1.11"), f.socket0, kCookie, f.probes));
    // Wrong echo id, wrong sequence, wrong sender.
    CHECK_FALSE(match_reply(reply(101, 0, 0, 0), ipv4("10.10.1.11"), f.socket0, kCookie, f.probes));
    CHECK_FALSE(match_reply(reply(100, 1, 0, 0), ipv4("10.10.1.11"), f.socket0, kCookie, f.probes));
    CHECK_FALSE(match_reply(reply(100, 0, 0, 0), ipv4("10.10.1.99"), f.socket0, kCookie, f.probes));
    // An attempt not sent yet, a probe index out of range, a request instead of a reply.
    CHECK_FALSE(match_reply(reply(100, 0, 0, 1), ipv4("10.10.1.11"), f.socket0, kCookie, f.probes));
    CHECK_FALSE(match_reply(reply(100, 0, 7, 0), ipv4("10.10.1.11"), f.socket0, kCookie, f.probes));
    Echo request = reply(100, 0, 0, 0);
    request.type = kEchoRequest;
    CHECK_FALSE(match_reply(request, ipv4("10.10.1.11"), f.socket0, kCookie, f.probes));
    // No tag: nothing to trace it by.
    Echo untagged = reply(100, 0, 0, 0);
    untagged.tag.reset();
    CHECK_FALSE(match_reply(untagged, ipv4("10.10.1.11"), f.socket0, kCookie, f.probes));
}

TEST_CASE("match_error: by the quoted tag, or by the sequence when the quote is cut short") {
    Fixture f;
    Echo quoted{kEchoRequest, 100, 1, EchoTag{kCookie, 1, 1}};
    CHECK(match_error(quoted, ipv4("10.10.1.12"), f.socket0, kCookie, f.probes, f.socket0_by_sequence) == 1u);
    CHECK_FALSE(match_error(quoted, ipv4("10.10.1.11"), f.socket0, kCookie, f.probes, f.socket0_by_sequence));
    quoted.tag->cookie = kCookie ^ 1;
    CHECK_FALSE(match_error(quoted, ipv4("10.10.1.12"), f.socket0, kCookie, f.probes, f.socket0_by_sequence));

    // Eight bytes quoted (the minimum a router owes): the sequence finds the probe.
    Echo cut{kEchoRequest, 100, 1, std::nullopt};
    CHECK(match_error(cut, ipv4("10.10.1.12"), f.socket0, kCookie, f.probes, f.socket0_by_sequence) == 1u);
    cut.sequence = 2;  // no such sequence on this socket
    CHECK_FALSE(match_error(cut, ipv4("10.10.1.12"), f.socket0, kCookie, f.probes, f.socket0_by_sequence));
    cut.sequence = 0;
    cut.id = 200;  // not this socket's echo id
    CHECK_FALSE(match_error(cut, ipv4("10.10.1.11"), f.socket0, kCookie, f.probes, f.socket0_by_sequence));

    // Errors are about requests; a quoted reply is somebody else's business.
    Echo quoted_reply{kEchoReply, 100, 0, EchoTag{kCookie, 0, 0}};
    CHECK_FALSE(match_error(quoted_reply, ipv4("10.10.1.11"), f.socket0, kCookie, f.probes, f.socket0_by_sequence));
}
