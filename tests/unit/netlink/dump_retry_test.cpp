// Interrupted dumps are read again, a bounded number of times.
#include <catch2/catch.hpp>

#include "runtime/netlink/dump_retry.hpp"

using namespace podnetc::rt;

TEST_CASE("dump retry: an interrupted dump is read again until it is complete", "[netlink]") {
    int calls = 0;
    auto result = dump_until_complete(5, [&]() -> Result<nl::DumpEnd> {
        ++calls;
        return calls < 3 ? nl::DumpEnd::interrupted : nl::DumpEnd::complete;
    }, "links of namespace 'pod-1'");
    CHECK(result);
    CHECK(calls == 3);
}

TEST_CASE("dump retry: gives up after the bound, saying why", "[netlink]") {
    int calls = 0;
    auto result = dump_until_complete(4, [&]() -> Result<nl::DumpEnd> {
        ++calls;
        return nl::DumpEnd::interrupted;
    }, "routes of the host namespace");
    REQUIRE_FALSE(result);
    CHECK(calls == 4);
    CHECK(result.error().code == EAGAIN);
    CHECK(result.error().message ==
          "dump routes of the host namespace: interrupted 4 times by concurrent changes (NLM_F_DUMP_INTR); try again "
          "when the node is quieter");
}

TEST_CASE("dump retry: a failed dump is not retried", "[netlink]") {
    int calls = 0;
    auto result = dump_until_complete(5, [&]() -> Result<nl::DumpEnd> {
        ++calls;
        return fail_plain(EOPNOTSUPP, "dump failed: Operation not supported");
    }, "neighbours of namespace 'pod-2'");
    REQUIRE_FALSE(result);
    CHECK(calls == 1);
    CHECK(result.error().message == "dump neighbours of namespace 'pod-2': dump failed: Operation not supported");
}
