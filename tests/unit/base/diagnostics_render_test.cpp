// How a diagnostic shows its source line: control characters in the line neither
// reach the terminal nor move the caret, and a NUL does not end the text.
#include <catch2/catch.hpp>

#include <string>

#include "compiler/base/diagnostics.hpp"
#include "compiler/base/source.hpp"

using namespace podnetc;

TEST_CASE("control characters in the source line are shown as '?', one for one", "[diagnostics]") {
    SourceSet sources;
    const std::string text = std::string("pod p\0\x1b[2J x", 12) + "\n";
    const FileId id = sources.add("bad.pnet", text);
    Diagnostics diagnostics;
    diagnostics.error(SourceRange{id, 11, 1}, "expected an option");
    diagnostics.error(SourceRange{id, 0, 3}, "second");
    const std::string out = render_all(sources, diagnostics);
    CHECK(out ==
          "bad.pnet:1:12: error: expected an option\n"
          "   1 | pod p??[2J x\n"
          "     |            ^\n"
          "bad.pnet:1:1: error: second\n"
          "   1 | pod p??[2J x\n"
          "     | ^~~\n"
          "2 errors\n");
}

TEST_CASE("tabs stay tabs, so that the caret lines up in any tab width", "[diagnostics]") {
    SourceSet sources;
    const FileId id = sources.add("tabs.pnet", "\tpod\tp x\n");
    Diagnostics diagnostics;
    diagnostics.error(SourceRange{id, 7, 1}, "here");
    CHECK(render_all(sources, diagnostics) == "tabs.pnet:1:8: error: here\n"
                                              "   1 | \tpod\tp x\n"
                                              "     | \t   \t  ^\n"
                                              "1 error\n");
}

TEST_CASE("a 1 MB line is shown as a window around the caret, with marks where it was cut", "[diagnostics]") {
    SourceSet sources;
    const std::string line = "network n subnet " + std::string(1'000'000, 'x') + " $";
    const FileId id = sources.add("long.pnet", line + "\n");
    Diagnostics diagnostics;
    const auto caret = static_cast<std::uint32_t>(line.size() - 1);
    diagnostics.error(SourceRange{id, caret, 1}, "unexpected '$'");
    diagnostics.error(SourceRange{id, 0, 7}, "first word");
    diagnostics.error(SourceRange{id, 500'000, 1'000}, "a long range in the middle");
    const std::string out = render_all(sources, diagnostics);
    INFO(out);
    CHECK(out.size() < 3 * 2 * (kExcerptColumns + 100));

    // The caret at the end: cut before it, the caret under the '$'.
    CHECK(out.find("   1 | …" + std::string(kExcerptColumns - 2, 'x') + " $\n"
                   "     |  " + std::string(kExcerptColumns - 1, ' ') + "^\n") != std::string::npos);
    // At the start: cut after it only.
    CHECK(out.find("   1 | network n subnet " + std::string(kExcerptColumns - 17, 'x') + "…\n"
                   "     | ^~~~~~~\n") != std::string::npos);
    // In the middle: cut on both sides, the range's marker ends at the window.
    const std::size_t middle = out.find("a long range in the middle\n");
    REQUIRE(middle != std::string::npos);
    CHECK(out.find("   1 | …" + std::string(kExcerptColumns, 'x') + "…\n", middle) != std::string::npos);
}

TEST_CASE("a cut never splits a UTF-8 character, and short lines are shown whole", "[diagnostics]") {
    SourceSet sources;
    std::string line;
    for (int i = 0; i < 300; ++i) line += "é";  // two bytes each
    const FileId id = sources.add("utf8.pnet", line + "\nshort line\n");
    Diagnostics diagnostics;
    diagnostics.error(SourceRange{id, 301, 2}, "in the middle");
    diagnostics.error(SourceRange{id, static_cast<std::uint32_t>(line.size() + 1), 5}, "short");
    const std::string out = render_all(sources, diagnostics);
    const std::size_t excerpt = out.find("   1 | …") + std::string_view("   1 | …").size();
    const std::size_t end = out.find("…\n", excerpt);
    REQUIRE(end != std::string::npos);
    const std::string shown = out.substr(excerpt, end - excerpt);
    CHECK(shown.size() % 2 == 0);
    CHECK(shown.find_first_not_of("é") == std::string::npos);
    CHECK(out.find("   2 | short line\n     | ^~~~~\n") != std::string::npos);
}

TEST_CASE("a message that quotes a huge word is cut in the middle", "[diagnostics]") {
    SourceSet sources;
    const FileId id = sources.add("m.pnet", "x\n");
    Diagnostics diagnostics;
    diagnostics.error(SourceRange{id, 0, 1}, "unknown word '" + std::string(100'000, 'w') + "' here");
    const std::string out = render_all(sources, diagnostics);
    CHECK(out.size() < kMessageBytes + 100);
    CHECK(out.find("m.pnet:1:1: error: unknown word 'www") == 0);
    CHECK(out.find("w…w") != std::string::npos);
    CHECK(out.find("www' here\n") != std::string::npos);
}
