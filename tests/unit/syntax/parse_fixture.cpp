#include "tests/unit/syntax/parse_fixture.hpp"

#include <fmt/format.h>

#include "compiler/syntax/frontend.hpp"
#include "tests/unit/syntax/ast_dump.hpp"

namespace podnetc::test {

Parsed::Parsed(std::string text, std::string path) {
    const FileId id = sources.add(std::move(path), std::move(text));
    file = parse_topology(sources, id, diagnostics);
}

std::string Parsed::errors() const {
    std::string out;
    for (const Diagnostic& d : diagnostics.all()) {
        out += fmt::format("{}: {}\n", at(d.range), d.message);
    }
    return out;
}

std::string Parsed::at(SourceRange range) const {
    if (!range.known()) return "?";
    const LineCol lc = sources.file(range.file).line_col(range.offset);
    return fmt::format("{}:{}", lc.line, lc.col);
}

std::string clean_shape(std::string text, std::string path) {
    Parsed p(std::move(text), std::move(path));
    INFO(p.errors());
    CHECK_FALSE(p.diagnostics.has_errors());
    return dump(p.file);
}

}  // namespace podnetc::test
