// FNV-1a-64: the published test vectors, whole strings and byte by byte alike.
#include <catch2/catch.hpp>

#include "compiler/base/fnv1a.hpp"

namespace podnetc {
namespace {

TEST_CASE("FNV-1a-64 matches the published test vectors", "[base]") {
    CHECK(fnv1a64("") == 0xcbf29ce484222325ULL);
    CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
    CHECK(fnv1a64("foobar") == 0x85944171f73967e8ULL);
    CHECK(Fnv1a64().bytes("foo").byte('b').bytes("ar").value() == 0x85944171f73967e8ULL);
}

}  // namespace
}  // namespace podnetc
