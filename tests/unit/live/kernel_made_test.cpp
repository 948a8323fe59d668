// What the kernel makes by itself, and what the planner leaves to it. The two used to
// be separate functions that disagreed on exactly the cases below: an address given
// to `lo` by hand, and a route added by hand to the local table. The kernel makes
// neither (it gives `lo` only 127.0.0.1/8; every local-table route it derives from an
// address has protocol kernel), so `show` lists them; the planner still never diffs
// or counts them as foreign (docs/PLANNER.md, "What is compared").
#include <catch2/catch.hpp>

#include "compiler/live/kernel_made.hpp"
#include "compiler/live/live_state_text.hpp"
#include "compiler/model/kernel_model.hpp"

namespace podnetc {
namespace {

live::Address address(std::string dev, std::string_view local, std::uint8_t protocol) {
    live::Address a;
    a.netns = "pod-1";
    a.dev = std::move(dev);
    a.local = *ip::Prefix::parse(local);
    a.protocol = protocol;
    return a;
}

live::Route route(std::uint32_t table, std::string_view dst, std::uint8_t protocol) {
    live::Route r;
    r.netns = "pod-1";
    r.table = table;
    r.dst = *ip::Prefix::parse(dst);
    r.dev = "eth0";
    r.protocol = protocol;
    return r;
}

constexpr std::uint32_t kMain = 254;
constexpr std::uint32_t kLocal = 255;
constexpr std::uint8_t kProtoBoot = 3;
constexpr std::uint8_t kProtoKernel = 2;

TEST_CASE("kernel-made addresses: lo's 127.0.0.1/8, marked or not, and the kernel's IFA_PROTO values", "[live]") {
    CHECK(live::kernel_made(address("lo", "127.0.0.1/8", 0)));  // kernels before IFA_PROTO
    CHECK(live::kernel_made(address("lo", "127.0.0.1/8", 1)));  // kernel_lo
    CHECK(live::kernel_made(address("eth0", "10.0.0.5/24", 2)));  // kernel_ra
    CHECK(live::kernel_made(address("eth0", "169.254.3.4/16", 3)));  // kernel_ll
    CHECK_FALSE(live::kernel_made(address("eth0", "10.0.0.5/24", 0)));
    CHECK_FALSE(live::kernel_made(address("eth0", "10.0.0.5/24", 176)));
}

TEST_CASE("kernel-made routes: protocol kernel, in any table", "[live]") {
    CHECK(live::kernel_made(route(kMain, "10.0.0.0/24", kProtoKernel)));
    CHECK(live::kernel_made(route(kLocal, "10.0.0.5/32", kProtoKernel)));
    CHECK_FALSE(live::kernel_made(route(kMain, "10.0.0.0/24", kProtoBoot)));
}

TEST_CASE("where the two old functions disagreed", "[live]") {
    // An address put on lo by hand: someone's, not the kernel's...
    const live::Address on_lo = address("lo", "10.99.0.1/32", 0);
    CHECK_FALSE(live::kernel_made(on_lo));
    // ...but lo is the kernel's: the planner neither diffs it nor calls it foreign.
    CHECK(plan::left_to_kernel(on_lo));
    // A route added by hand to the local table.
    const live::Route local = route(kLocal, "10.0.0.9/32", kProtoBoot);
    CHECK_FALSE(live::kernel_made(local));
    CHECK(plan::left_to_kernel(local));

    // `show` hides only what the kernel made.
    live::State state;
    state.namespaces = {live::Netns{"", false, ""}, live::Netns{"pod-1", true, ""}};
    state.addresses = {address("lo", "127.0.0.1/8", 1), on_lo};
    const std::string text = live::to_text(state);
    CHECK(text.find("10.99.0.1/32") != std::string::npos);
    CHECK(text.find("127.0.0.1/8") == std::string::npos);
    CHECK(text.find("1 kernel-made object not shown") != std::string::npos);
}

TEST_CASE("the planner leaves to the kernel what the kernel made", "[live]") {
    CHECK(plan::left_to_kernel(address("lo", "127.0.0.1/8", 0)));
    CHECK(plan::left_to_kernel(route(kMain, "10.0.0.0/24", kProtoKernel)));
    CHECK_FALSE(plan::left_to_kernel(address("eth0", "10.0.0.5/24", 0)));
    CHECK_FALSE(plan::left_to_kernel(route(kMain, "10.0.0.0/24", kProtoBoot)));
}

}  // namespace
}  // namespace podnetc
