// JsonWriter writes what nlohmann::json::dump(2) writes for the same document,
// byte for byte: nesting, empty containers, escapes, numbers, null.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "compiler/json/json_writer.hpp"

namespace podnetc {
namespace {

TEST_CASE("JsonWriter matches nlohmann's dump(2)", "[json]") {
    std::string text;
    JsonWriter w(text);
    w.begin_object();
    w.key("format").value("podnetc-plan/1");
    w.key("escapes").value(std::string_view("quote \" backslash \\ tab \t newline \n bell \x07 del \x7f é"));
    w.key("empty object").begin_object().end_object();
    w.key("empty array").begin_array().end_array();
    w.key("numbers").begin_array().value(std::uint64_t{0}).value(std::uint32_t{4294967295u}).value(std::uint8_t{176});
    w.end_array();
    w.key("flags").begin_array().value(true).value(false).null().end_array();
    w.key("maybe").value(std::optional<std::uint32_t>{}).key("surely").value(std::optional<bool>{true});
    w.key("nested").begin_array();
    w.begin_object().key("a").begin_array().begin_object().end_object().end_array().end_object();
    w.begin_array().end_array();
    w.end_array();
    w.end_object();

    nlohmann::ordered_json expected;
    expected["format"] = "podnetc-plan/1";
    expected["escapes"] = "quote \" backslash \\ tab \t newline \n bell \x07 del \x7f é";
    expected["empty object"] = nlohmann::ordered_json::object();
    expected["empty array"] = nlohmann::ordered_json::array();
    expected["numbers"] = {0u, 4294967295u, 176u};
    expected["flags"] = {true, false, nullptr};
    expected["maybe"] = nullptr;
    expected["surely"] = true;
    nlohmann::ordered_json inner;
    inner["a"] = nlohmann::ordered_json::array({nlohmann::ordered_json::object()});
    expected["nested"] = nlohmann::ordered_json::array({inner, nlohmann::ordered_json::array()});
    CHECK(text == expected.dump(2));
}

TEST_CASE("text that is only shown keeps well-formed UTF-8 and replaces every other byte by U+FFFD", "[json]") {
    CHECK(replace_ill_formed_utf8("route.pnet") == "route.pnet");
    const std::string well_formed = "caf\xc3\xa9/\xe2\x82\xac/\xf0\x9f\x98\x80";
    CHECK(replace_ill_formed_utf8(well_formed) == well_formed);
    CHECK(replace_ill_formed_utf8("r\xff.pnet") == "r\xef\xbf\xbd.pnet");
    CHECK(replace_ill_formed_utf8("\xc0\xaf") == "\xef\xbf\xbd\xef\xbf\xbd");          // overlong '/'
    CHECK(replace_ill_formed_utf8("\xed\xa0\x80") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // a surrogate
    CHECK(replace_ill_formed_utf8("\xe2\x82") == "\xef\xbf\xbd\xef\xbf\xbd");          // cut short
    const std::string replaced = replace_ill_formed_utf8("v\xff\xfe");
    CHECK(nlohmann::json::parse(nlohmann::json(replaced).dump()).get<std::string>() == replaced);
}

}  // namespace
}  // namespace podnetc
