// Source files and byte ranges inside them. Every AST node, IR object and plan
// operation carries a SourceRange so that any later error can point at the line
// of the topology file that asked for it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace podnetc {

// Index into a SourceSet; 0 means "no file" (an object that has no source).
using FileId = std::uint32_t;

// Half-open byte range [offset, offset + length) of one file. 12 bytes, so that
// a 100,000-pod IR can afford one per object.
struct SourceRange {
    FileId file = 0;
    std::uint32_t offset = 0;
    std::uint32_t length = 0;

    bool known() const { return file != 0; }
    friend bool operator==(const SourceRange&, const SourceRange&) = default;
};

// Smallest range covering both (both must be in the same file).
SourceRange cover(SourceRange a, SourceRange b);

struct LineCol {
    std::uint32_t line = 0;  // 1-based
    std::uint32_t col = 0;   // 1-based, in bytes
};

class SourceFile {
public:
    SourceFile(std::string path, std::string text);

    const std::string& path() const { return path_; }
    const std::string& text() const { return text_; }

    LineCol line_col(std::uint32_t offset) const;
    // Text of a 1-based line without its newline.
    std::string_view line_text(std::uint32_t line) const;
    // Byte offset of a 1-based line/column; clamps to the end of the file.
    std::uint32_t offset_of(LineCol position) const;

private:
    std::string path_;
    std::string text_;
    std::vector<std::uint32_t> line_starts_;
};

// Owns every file read in one run. Files never move once added.
class SourceSet {
public:
    FileId add(std::string path, std::string text);
    const SourceFile& file(FileId id) const;
    std::size_t size() const { return files_.size(); }

    // "path:line:col", or "path" when the range has no offset, or "" when unknown.
    std::string location(SourceRange range) const;
    // The exact text a range covers.
    std::string_view text(SourceRange range) const;

private:
    std::vector<std::unique_ptr<SourceFile>> files_;
};

}  // namespace podnetc
