// Single values read with the .pnet grammar for the TOML front end.
#include <catch2/catch.hpp>

#include <string>

#include "compiler/syntax/parse_word.hpp"
#include "compiler/base/source.hpp"
#include "tests/unit/syntax/ast_dump.hpp"

namespace podnetc {
namespace {

struct Value {
    SourceSet sources;
    Diagnostics diagnostics;
    FileId file = 0;
    // The whole text is the file; `inner` picks the value inside it.
    explicit Value(std::string text) { file = sources.add("v.toml", std::move(text)); }
    SourceRange range(std::uint32_t offset, std::uint32_t length) const { return {file, offset, length}; }
    std::string_view slice(std::uint32_t offset, std::uint32_t length) const {
        return std::string_view(sources.file(file).text()).substr(offset, length);
    }
    std::string error() const {
        REQUIRE(diagnostics.all().size() == 1);
        const Diagnostic& d = diagnostics.all()[0];
        return sources.location(d.range) + " " + d.message;
    }
};

}  // namespace

TEST_CASE("parse_word_text: verbatim text gets exact ranges", "[parse_word]") {
    Value v("name = \"pod-{i:03}\"\n");
    const auto word = parse_word_text(v.slice(8, 10), v.range(8, 10), v.diagnostics);
    REQUIRE(word);
    CHECK(test::dump(*word) == "pod-{i:03}");
    CHECK(v.sources.text(word->range) == "pod-{i:03}");
    CHECK(v.sources.text(word->parts.at(0).range) == "pod-");
    CHECK(v.sources.text(word->parts.at(1).range) == "{i:03}");
    CHECK(v.sources.text(word->parts.at(1).expr->range) == "i");
}

TEST_CASE("parse_word_text: text that differs from the file points at the origin", "[parse_word]") {
    // The file spells the value with an escape; the decoded text is shorter.
    Value v("name = \"p\\u002d{i}\"\n");
    const SourceRange token = v.range(7, 12);
    const auto word = parse_word_text("p-{i}", token, v.diagnostics);
    REQUIRE(word);
    CHECK(test::dump(*word) == "p-{i}");
    CHECK(word->range == token);
    CHECK(word->parts.at(1).range == token);
    CHECK(word->parts.at(1).expr->range == token);

    CHECK_FALSE(parse_word_text("p-{i", token, v.diagnostics));
    CHECK(v.error() == "v.toml:1:8 unterminated '{' interpolation");
}

TEST_CASE("parse_word_text: malformed words", "[parse_word]") {
    {
        Value v("x = \"\"");
        CHECK_FALSE(parse_word_text("", v.range(5, 0), v.diagnostics));
        CHECK(v.error() ==
              "v.toml:1:6 expected a name or value: letters, digits, '_', '-', '.', '/', ':' and {…} interpolations");
    }
    {
        Value v("x = \"a b\"");
        CHECK_FALSE(parse_word_text(v.slice(5, 3), v.range(5, 3), v.diagnostics));
        CHECK(v.error() ==
              "v.toml:1:7 unexpected character in a name or value (allowed: letters, digits, '_', '-', '.', '/', "
              "':' and {…} interpolations)");
    }
    {
        Value v("x = \"{99999999999999999999}\"");
        CHECK_FALSE(parse_word_text(v.slice(5, 22), v.range(5, 22), v.diagnostics));
        CHECK(v.error() == "v.toml:1:7 number too large (at most 9223372036854775807)");
    }
}

TEST_CASE("parse_range_text and check_loop_variable_text", "[parse_word]") {
    {
        Value v("range = \"3..17\"");
        const auto range = parse_range_text(v.slice(9, 5), v.range(9, 5), v.diagnostics);
        REQUIRE(range);
        CHECK(range->first == 3);
        CHECK(range->last == 17);
        CHECK(v.sources.text(range->range) == "3..17");
        CHECK(v.diagnostics.empty());
    }
    {
        Value v("range = \"3..x\"");
        CHECK_FALSE(parse_range_text(v.slice(9, 4), v.range(9, 4), v.diagnostics));
        CHECK(v.error() == "v.toml:1:13 expected the last number of the range after '..'");
    }
    {
        Value v("range = \"1..2 \"");
        CHECK_FALSE(parse_range_text(v.slice(9, 5), v.range(9, 5), v.diagnostics));
        CHECK(v.diagnostics.error_count() == 1);
    }
    {
        Value v("var = \"idx_2\"");
        CHECK(check_loop_variable_text(v.slice(7, 5), v.range(7, 5), v.diagnostics));
        CHECK(v.diagnostics.empty());
        CHECK_FALSE(check_loop_variable_text("2i", v.range(7, 5), v.diagnostics));
        CHECK_FALSE(check_loop_variable_text("i-j", v.range(7, 5), v.diagnostics));
        CHECK(v.diagnostics.error_count() == 2);
    }
}

}  // namespace podnetc
