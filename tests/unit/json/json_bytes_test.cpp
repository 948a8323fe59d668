// Names that are not UTF-8 survive podnetc's own JSON files byte for byte.
#include <catch2/catch.hpp>

#include <random>

#include "compiler/json/json_bytes.hpp"
#include "compiler/json/json_writer.hpp"

using namespace podnetc;

namespace {
std::string written(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}
}  // namespace

TEST_CASE("bytes that are not UTF-8 are escaped losslessly", "[json]") {
    const std::string name = "v\xff";
    CHECK(written(name) == "\"v\\u0000\\u00ff\"");
    CHECK(written("caf\xc3\xa9") == "\"caf\xc3\xa9\"");  // well-formed UTF-8 is unchanged
    const auto document = parse_json("{\"w\\u0000\\u00fe\": [\"" + written(name).substr(1) + "]}");
    REQUIRE(document.contains("w\xfe"));
    CHECK(document["w\xfe"][0].get<std::string>() == name);
    CHECK(unescape_bytes(std::string("a\0b", 3)) == std::string("a\0b", 3));  // a lone NUL stays
}

TEST_CASE("any bytes round-trip through the writer and parse_json", "[json]") {
    std::mt19937 random(20261203);
    for (int round = 0; round < 2000; ++round) {
        std::string text(static_cast<std::size_t>(random() % 20), '\0');
        for (char& c : text) c = static_cast<char>(1 + random() % 255);  // names hold no NUL
        std::string out;
        JsonWriter json(out);
        json.begin_object().key(text).value(text).end_object();
        const auto document = parse_json(out);
        REQUIRE(document.size() == 1);
        CHECK(document.begin().key() == text);
        CHECK(document.begin().value().get<std::string>() == text);
    }
}
