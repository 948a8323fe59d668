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
