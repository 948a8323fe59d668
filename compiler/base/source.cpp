#include "compiler/base/source.hpp"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

namespace podnetc {

SourceRange cover(SourceRange a, SourceRange b) {
    if (!a.known()) return b;
    if (!b.known()) return a;
    const std::uint32_t begin = std::min(a.offset, b.offset);
    const std::uint32_t end = std::max(a.offset + a.length, b.offset + b.length);
    return SourceRange{a.file, begin, end - begin};
}

SourceFile::SourceFile(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text_.size(); ++i) {
        if (text_[i] == '\n') line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
    }
}

LineCol SourceFile::line_col(std::uint32_t offset) const {
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
    return LineCol{line, offset - line_starts_[line - 1] + 1};
}

std::string_view SourceFile::line_text(std::uint32_t line) const {
    if (line == 0 || line > line_starts_.size()) return {};
    const std::uint32_t begin = line_starts_[line - 1];
    std::uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1
                                                   : static_cast<std::uint32_t>(text_.size());
    if (end > begin && text_[end - 1] == '\r') --end;
    return std::string_view(text_).substr(begin, end - begin);
}

std::uint32_t SourceFile::offset_of(LineCol position) const {
    if (position.line == 0) return 0;
    if (position.line > line_starts_.size()) return static_cast<std::uint32_t>(text_.size());
    const std::uint32_t begin = line_starts_[position.line - 1];
    const std::uint32_t col = position.col == 0 ? 0 : position.col - 1;
    return std::min(begin + col, static_cast<std::uint32_t>(text_.size()));
}

FileId SourceSet::add(std::string path, std::string text) {
    files_.push_back(std::make_unique<SourceFile>(std::move(path), std::move(text)));
    return static_cast<FileId>(files_.size());
}

const SourceFile& SourceSet::file(FileId id) const {
    assert(id != 0 && id <= files_.size());
    return *files_[id - 1];
}

std::string SourceSet::location(SourceRange range) const {
    if (!range.known()) return {};
    const SourceFile& f = file(range.file);
    const LineCol lc = f.line_col(range.offset);
    return fmt::format("{}:{}:{}", f.path(), lc.line, lc.col);
}

std::string_view SourceSet::text(SourceRange range) const {
    if (!range.known()) return {};
    return std::string_view(file(range.file).text()).substr(range.offset, range.length);
}

}  // namespace podnetc
