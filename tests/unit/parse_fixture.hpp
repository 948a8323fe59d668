// Parses a text with one front end and keeps everything a test wants to look at.
#pragma once

#include <string>
#include <string_view>

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/source.hpp"

namespace podnetc::test {

class Parsed {
public:
    // The front end is chosen by the path's extension, as podnetc does.
    explicit Parsed(std::string text, std::string path = "test.pnet");

    ast::File file;
    SourceSet sources;
    Diagnostics diagnostics;

    // "line:col: message" per diagnostic, one per line.
    std::string errors() const;
    // "line:col" of a range's start, and the text it covers.
    std::string at(SourceRange range) const;
    std::string_view text(SourceRange range) const { return sources.text(range); }
};

}  // namespace podnetc::test
