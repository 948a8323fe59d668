// Counts in human output: one grouping and one plural rule for every message.
#include <catch2/catch.hpp>

#include "compiler/base/text_format.hpp"

namespace podnetc {
namespace {

TEST_CASE("numbers with thousands separators", "[base][text]") {
    CHECK(group_thousands(0) == "0");
    CHECK(group_thousands(999) == "999");
    CHECK(group_thousands(1000) == "1,000");
    CHECK(group_thousands(1234567) == "1,234,567");
    CHECK(group_thousands(18446744073709551615ull) == "18,446,744,073,709,551,615");
}

TEST_CASE("counts with their noun", "[base][text]") {
    CHECK(plural(0, "error") == "0 errors");
    CHECK(plural(1, "error") == "1 error");
    CHECK(plural(3000, "operation") == "3,000 operations");
    CHECK(count_of(1, "address", "addresses") == "1 address");
    CHECK(count_of(2000, "address", "addresses") == "2,000 addresses");
}

}  // namespace
}  // namespace podnetc
