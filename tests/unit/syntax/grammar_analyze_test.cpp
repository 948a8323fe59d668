// The grammar has no rule that can loop without consuming input (PEGTL's analyze).
#include <catch2/catch.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/pnet.hpp"
#include "grammar/pnet_errors.hpp"

namespace grammar = podnetc::grammar;

TEST_CASE("the .pnet grammar has no analyze problems", "[grammar]") {
    CHECK(tao::pegtl::analyze<grammar::file>(1) == 0);
}

TEST_CASE("the single-value grammars have no analyze problems", "[grammar]") {
    CHECK(tao::pegtl::analyze<grammar::standalone_word>(1) == 0);
    CHECK(tao::pegtl::analyze<grammar::standalone_variable>(1) == 0);
    CHECK(tao::pegtl::analyze<grammar::standalone_range>(1) == 0);
}

TEST_CASE("the flag table drives the grammar", "[grammar]") {
    CHECK(grammar::is_flag_option("adopt"));
    CHECK(grammar::is_flag_option("default-route"));
    CHECK_FALSE(grammar::is_flag_option("address"));
    CHECK_FALSE(grammar::is_flag_option("adopted"));
}
