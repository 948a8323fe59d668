#include "compiler/syntax/toml_source.hpp"

#include <algorithm>

namespace podnetc {

std::uint32_t TomlSource::offset_of(const toml::source_position& position) {
    const std::string& text = source_.text();
    const auto size = static_cast<std::uint32_t>(text.size());
    if (position.line == 0) return 0;
    std::uint32_t column = 1;
    std::uint32_t offset = source_.offset_of(LineCol{position.line, 1});
    if (cursor_.line == position.line && cursor_.column <= position.column) {
        column = cursor_.column;
        offset = cursor_offset_;
    }
    // Walk to the column: a code point is a lead byte and its continuation bytes.
    for (; column < position.column && offset < size; ++column) {
        if (text[offset] == '\n') break;
        ++offset;
        while (offset < size && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) ++offset;
    }
    cursor_ = toml::source_position{position.line, column};
    cursor_offset_ = offset;
    return offset;
}

SourceRange TomlSource::point(const toml::source_position& position) {
    const std::uint32_t offset = offset_of(position);
    const std::string& text = source_.text();
    const std::uint32_t length = offset < text.size() && text[offset] != '\n' ? 1 : 0;
    return SourceRange{file_, offset, length};
}

SourceRange TomlSource::range_of(const toml::source_region& region) {
    const std::uint32_t begin = offset_of(region.begin);
    if (region.end.line == 0) return point(region.begin);
    const std::uint32_t end = std::max(begin, offset_of(region.end));
    return SourceRange{file_, begin, end - begin};
}

SourceRange TomlSource::string_content(SourceRange token, std::string_view value) const {
    const std::string_view text = std::string_view(source_.text()).substr(token.offset, token.length);
    for (const std::string_view quote : {"\"\"\"", "'''", "\"", "'"}) {
        if (text.size() < 2 * quote.size() || !text.starts_with(quote) || !text.ends_with(quote)) {
            continue;
        }
        std::uint32_t skip = static_cast<std::uint32_t>(quote.size());
        std::string_view inner = text.substr(quote.size(), text.size() - 2 * quote.size());
        if (quote.size() == 3) {  // a newline right after the opening quotes is not part of it
            const std::size_t newline = inner.starts_with("\r\n") ? 2 : inner.starts_with("\n") ? 1 : 0;
            inner.remove_prefix(newline);
            skip += static_cast<std::uint32_t>(newline);
        }
        if (inner == value) {
            return SourceRange{token.file, token.offset + skip, static_cast<std::uint32_t>(inner.size())};
        }
        break;
    }
    return token;
}

}  // namespace podnetc
