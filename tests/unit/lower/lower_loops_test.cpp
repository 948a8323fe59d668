// Loop expansion: ranges, interpolation, arithmetic and its errors, and how a
// failing template is reported once.
#include <catch2/catch.hpp>

#include "compiler/syntax/frontend.hpp"
#include "compiler/lower/lower.hpp"
#include "tests/unit/lower/lower_support.hpp"

using namespace podnetc;
using podnetc::test::Lowered;
using podnetc::test::lower_text;
using podnetc::test::render_model;

namespace {

std::string problems(const std::string& text) { return lower_text(text).summary(); }

}  // namespace

TEST_CASE("loops expand in ascending order with padding and arithmetic") {
    auto lowered = lower_text("network pods mode route subnet 10.64.0.0/16\n"
                              "for i in 248..251 {\n"
                              "  pod pod-{i:04} on pods address 10.64.{i / 250}.{i % 250 + 2} host-veth v{(i - 1) * 2}\n"
                              "}\n");
    INFO(lowered.messages());
    REQUIRE(lowered.ir);
    CHECK(render_model(*lowered.ir) ==
          "network pods route 10.64.0.0/16 gateway 169.254.1.1\n"
          "pod pod-0248\n"
          "  eth0 on pods (route) 10.64.0.250/32 host-veth v494 host-mac ee:ee:ee:ee:ee:ee default-route\n"
          "pod pod-0249\n"
          "  eth0 on pods (route) 10.64.0.251/32 host-veth v496 host-mac ee:ee:ee:ee:ee:ee default-route\n"
          "pod pod-0250\n"
          "  eth0 on pods (route) 10.64.1.2/32 host-veth v498 host-mac ee:ee:ee:ee:ee:ee default-route\n"
          "pod pod-0251\n"
          "  eth0 on pods (route) 10.64.1.3/32 host-veth v500 host-mac ee:ee:ee:ee:ee:ee default-route\n");
}

TEST_CASE("nested loops, networks in loops, and pods naming networks declared later") {
    auto lowered = lower_text("for r in 1..2 {\n"
                              "  for p in 0..1 {\n"
                              "    pod rack{r}-pod{p} on rack{r} address 10.{r}.0.{p + 10}\n"
                              "  }\n"
                              "}\n"
                              "for r in 1..2 { network rack{r} mode bridge subnet 10.{r}.0.0/24 }\n");
    INFO(lowered.messages());
    REQUIRE(lowered.ir);
    CHECK(render_model(*lowered.ir) ==
          "network rack1 bridge 10.1.0.0/24 bridge rack1\n"
          "network rack2 bridge 10.2.0.0/24 bridge rack2\n"
          "pod rack1-pod0\n"
          "  eth0 on rack1 (bridge) 10.1.0.10/24 host-veth " +
              lowered.ir->pods[0].attachments[0].host_veth +
              " default-route\n"
              "pod rack1-pod1\n"
              "  eth0 on rack1 (bridge) 10.1.0.11/24 host-veth " +
              lowered.ir->pods[1].attachments[0].host_veth +
              " default-route\n"
              "pod rack2-pod0\n"
              "  eth0 on rack2 (bridge) 10.2.0.10/24 host-veth " +
              lowered.ir->pods[2].attachments[0].host_veth +
              " default-route\n"
              "pod rack2-pod1\n"
              "  eth0 on rack2 (bridge) 10.2.0.11/24 host-veth " +
              lowered.ir->pods[3].attachments[0].host_veth + " default-route\n");
}

TEST_CASE("a failing template is reported once, with the loop values and a count") {
    CHECK(problems("network pods mode route subnet 10.64.0.0/16\n"
                   "for i in 1..300 {\n"
                   "  pod pod-{i} on pods address 10.64.0.{i}\n"
                   "}\n") ==
          "3:31 error: malformed address '10.64.0.256': octet 256 is out of range (0..255)\n"
          "  note: in expansion with i = 256\n"
          "  note: and 44 more expansions\n");
}

TEST_CASE("the note names every loop variable") {
    CHECK(problems("network pods mode route subnet 10.0.0.0/16\n"
                   "for a in 0..1 {\n"
                   "  for b in 0..2 {\n"
                   "    pod p{a}-{b} on pods address 10.0.{a}.{b * 200 + 1}\n"
                   "  }\n"
                   "}\n") ==
          "4:34 error: malformed address '10.0.0.401': octet 401 is out of range (0..255)\n"
          "  note: in expansion with a = 0, b = 2\n"
          "  note: and 1 more expansion\n");
}

TEST_CASE("duplicates made by a loop are reported once") {
    CHECK(problems("network pods mode route subnet 10.0.0.0/24\n"
                   "for i in 1..5 {\n"
                   "  pod web on pods address 10.0.0.{i}\n"
                   "}\n") ==
          "3:7 error: duplicate pod 'web'\n"
          "  3:7 note: first declared here (i = 1)\n"
          "  note: in expansion with i = 2\n"
          "  note: and 3 more expansions\n");
}

TEST_CASE("loop errors: empty or negative range, shadowing, unknown variable, outside a loop") {
    CHECK(problems("network n mode route subnet 10.0.0.0/24\n"
                   "for i in 3..1 { pod a-{i} on n address 10.0.0.{i} }\n"
                   "for i in 1..2 { for i in 1..2 { pod b-{i} on n address 10.0.0.{i} } }\n"
                   "for i in 1..2 { pod c-{j} on n address 10.0.0.{i + 10} }\n"
                   "pod d-{i} on n address 10.0.0.40\n") ==
          "2:10 error: loop range 3..1 is empty\n"
          "  note: both ends are included: write 1..3 to count upwards\n"
          "3:21 error: loop variable 'i' shadows the variable of an enclosing loop\n"
          "  3:5 note: the enclosing loop's variable is declared here\n"
          "4:24 error: unknown variable 'j'\n"
          "  note: did you mean 'i'?\n"
          "5:7 error: interpolation outside a `for` loop\n");
}

TEST_CASE("arithmetic: division by zero and 64-bit overflow") {
    CHECK(problems("network n mode route subnet 10.0.0.0/24\n"
                   "for i in 0..1 { pod a-{10 / i} on n address 10.0.0.{i + 1} }\n"
                   "for i in 1..1 { pod b-{i * 9223372036854775807 * 2} on n address 10.0.0.9 }\n"
                   "for i in 1..1 { pod c-{i % (i - 1)} on n address 10.0.0.8 }\n") ==
          "2:24 error: division by zero (10 / 0)\n"
          "  note: in expansion with i = 0\n"
          "3:24 error: integer overflow: 9223372036854775807 * 2 does not fit in 64 bits\n"
          "  note: in expansion with i = 1\n"
          "4:24 error: division by zero (1 % 0)\n"
          "  note: in expansion with i = 1\n");
}

namespace {

Lowered lower_with_limit(const std::string& text, std::uint64_t limit = LowerOptions{}.max_loop_iterations) {
    Lowered out;
    const FileId id = out.sources.add("t.pnet", text);
    const ast::File file = parse_pnet(out.sources, id, out.diagnostics);
    LowerOptions options;
    options.max_loop_iterations = limit;
    out.ir = lower(file, options, out.diagnostics);
    return out;
}

// Lowering refuses `text` with exactly `expected` (and builds no IR).
void check_refused(const std::string& text, std::uint64_t limit, const std::string& expected) {
    Lowered out = lower_with_limit(text, limit);
    CHECK(out.summary() == expected);
    CHECK_FALSE(out.ir.has_value());
}

}  // namespace

TEST_CASE("nested loops that together go over the limit are refused at the outer loop, before expanding") {
    // 20 + 20 * 20 iterations: each range alone fits.
    check_refused("network n mode route subnet 10.0.0.0/8\n"
                  "for a in 1..20 {\n"
                  "  for b in 1..20 { pod p{a}-{b} on n address 10.0.0.1 }\n"
                  "}\n",
                  100,
                  "2:10 error: loops expand to more than 100 iterations: the nest from here runs 20 × 20 = "
                  "400 iterations; is 1..20 a typo?\n");
}

TEST_CASE("loops one after the other that together go over the limit stop at the one that passes it") {
    check_refused("network n mode route subnet 10.0.0.0/8\n"
                  "for a in 1..60 { pod a{a} on n address 10.0.0.{a} }\n"
                  "for b in 1..60 { pod b{b} on n address 10.0.1.{b} }\n",
                  100, "3:10 error: loops expand to more than 100 iterations; is 1..60 a typo?\n");
}

TEST_CASE("a nest of 2000 x 2000 x 2000 is refused from its ranges, naming the product") {
    // Expanding it first took minutes; the check needs only the ranges.
    check_refused("network n mode route subnet 10.0.0.0/8\n"
                  "for a in 1..2000 {\n"
                  "  for b in 1..2000 {\n"
                  "    for c in 1..2000 { pod p{a}-{b}-{c} on n address 10.0.0.1 }\n"
                  "  }\n"
                  "}\n",
                  LowerOptions{}.max_loop_iterations,
                  "2:10 error: loops expand to more than 4,000,000 iterations: the nest from here runs "
                  "2,000 × 2,000 × 2,000 = 8,000,000,000 iterations; is 1..2000 a typo?\n");
}

TEST_CASE("a nest whose product overflows 64 bits is refused too") {
    check_refused("network n mode route subnet 10.0.0.0/8\n"
                  "for a in 0..4000000000 { for b in 0..4000000000 { for c in 0..4000000000 {\n"
                  "  pod p{a}-{b}-{c} on n address 10.0.0.1\n"
                  "} } }\n",
                  LowerOptions{}.max_loop_iterations,
                  "2:10 error: loops expand to more than 4,000,000 iterations: the nest from here runs "
                  "4,000,000,001 × 4,000,000,001 × 4,000,000,001 iterations and more; "
                  "is 0..4000000000 a typo?\n");
}

TEST_CASE("inner loops that are refused on their own count nothing in the nest") {
    Lowered out = lower_with_limit("network n mode route subnet 10.0.0.0/8\n"
                                   "for a in 1..40 {\n"
                                   "  for b in 5..1 { pod p{a}-{b} on n address 10.0.0.1 }\n"
                                   "  for a in 1..40 { pod q{a} on n address 10.0.0.2 }\n"
                                   "  pod r{a} on n address 10.0.2.{a}\n"
                                   "}\n",
                                   100);
    const std::string summary = out.summary();
    INFO(summary);
    CHECK(summary.find("loop-limit") == std::string::npos);
    CHECK(summary.find("loops expand") == std::string::npos);
    CHECK(summary.find("3:12 error: loop range 5..1 is empty") != std::string::npos);
    CHECK(summary.find("4:7 error: loop variable 'a' shadows") != std::string::npos);
}

TEST_CASE("a runaway range stops with an error instead of eating the machine") {
    CHECK(problems("network n mode route subnet 10.0.0.0/8\n"
                   "for i in 1..1000000000 { pod p{i} on n address 10.0.0.1 }\n")
              .find("2:10 error: loops expand to more than 4,000,000 iterations; is 1..1000000000 a typo?\n") !=
          std::string::npos);
}
