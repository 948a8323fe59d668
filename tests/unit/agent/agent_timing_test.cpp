// The agent's pure decisions: debounce, backoff, flap detection.
#include <catch2/catch.hpp>

#include "runtime/agent/backoff.hpp"
#include "runtime/agent/debounce.hpp"
#include "runtime/agent/flap_detector.hpp"

using namespace podnetc::agent;
using namespace std::chrono_literals;

namespace {
const Clock::time_point t0{};
}

TEST_CASE("a burst of events gives one cycle, quiet after the last", "[agent][debounce]") {
    Debouncer debounce(200ms, 2s);
    CHECK_FALSE(debounce.deadline());
    debounce.event(t0);
    debounce.event(t0 + 50ms);
    debounce.event(t0 + 100ms);
    REQUIRE(debounce.deadline());
    CHECK(*debounce.deadline() == t0 + 300ms);
    CHECK_FALSE(debounce.due(t0 + 299ms));
    CHECK(debounce.due(t0 + 300ms));
    debounce.fired();
    CHECK_FALSE(debounce.deadline());
    debounce.event(t0 + 1s);
    CHECK(*debounce.deadline() == t0 + 1200ms);
}

TEST_CASE("events without pause still give a cycle after max_wait", "[agent][debounce]") {
    Debouncer debounce(200ms, 2s);
    int cycles = 0;
    // 1,000 writes 10 ms apart: 10 s of writing.
    for (int i = 0; i < 1000; ++i) {
        const auto now = t0 + i * 10ms;
        if (debounce.due(now)) {
            ++cycles;
            debounce.fired();
        }
        debounce.event(now);
    }
    CHECK(cycles == 4);  // at 2 s, 4 s, 6 s, 8 s; the last burst is still pending
    CHECK(*debounce.deadline() <= t0 + 10s + 200ms);
}

TEST_CASE("backoff doubles up to the cap, with jitter in the upper half", "[agent][backoff]") {
    Backoff backoff(1s, 30s, 42);
    const Duration ceilings[] = {1s, 2s, 4s, 8s, 16s, 30s, 30s, 30s};
    for (const Duration ceiling : ceilings) {
        const Duration wait = backoff.next();
        CHECK(wait >= ceiling / 2);
        CHECK(wait <= ceiling);
    }
    CHECK(backoff.attempts() == 8);
    backoff.reset();
    CHECK(backoff.next() <= 1s);
}

TEST_CASE("two nodes that fail together do not retry together", "[agent][backoff]") {
    Backoff a(10s, 300s, 1);
    Backoff b(10s, 300s, 2);
    bool differ = false;
    for (int i = 0; i < 5; ++i) differ = differ || a.next() != b.next();
    CHECK(differ);
}

TEST_CASE("repairs beyond the limit within the window are a fight", "[agent][flap]") {
    FlapDetector flaps(3, 60s);
    CHECK_FALSE(flaps.repaired("route 10.0.0.0/24", t0));
    CHECK_FALSE(flaps.repaired("route 10.0.0.0/24", t0 + 10s));
    CHECK_FALSE(flaps.repaired("route 10.0.0.0/24", t0 + 20s));
    CHECK(flaps.repaired("route 10.0.0.0/24", t0 + 30s));
    CHECK(flaps.fighting("route 10.0.0.0/24", t0 + 30s));
    CHECK_FALSE(flaps.fighting("link veth1", t0 + 30s));
    // A minute after the last repairs, the window has moved past them.
    CHECK_FALSE(flaps.fighting("route 10.0.0.0/24", t0 + 95s));
    CHECK_FALSE(flaps.repaired("route 10.0.0.0/24", t0 + 95s));
}
