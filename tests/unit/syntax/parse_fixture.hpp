// Parses a text with one front end and keeps everything a test wants to look at.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "compiler/syntax/ast.hpp"
#include "compiler/base/diagnostics.hpp"
#include "compiler/base/source.hpp"

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

// The declaration's node as a T; the test stops when it is something else.
template <typename T>
const T& decl_as(const ast::Decl& decl) {
    REQUIRE(std::holds_alternative<T>(decl.node));
    return std::get<T>(decl.node);
}

// The AST dump (tests/unit/syntax/ast_dump) of a text that must parse without errors.
std::string clean_shape(std::string text, std::string path = "test.pnet");

}  // namespace podnetc::test
