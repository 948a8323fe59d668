#include "compiler/base/diagnostics.hpp"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "compiler/base/terminal_style.hpp"
#include "compiler/base/text_format.hpp"

namespace podnetc {
std::string_view severity_name(Severity severity) {
    switch (severity) {
        case Severity::error: return "error";
        case Severity::warning: return "warning";
        case Severity::note: return "note";
    }
    return "error";
}

namespace {

std::string_view severity_color(Severity severity) {
    switch (severity) {
        case Severity::error: return style::bold_red;
        case Severity::warning: return style::bold_magenta;
        case Severity::note: return style::bold_cyan;
    }
    return style::bold_red;
}

std::string paint(std::string_view text, std::string_view color, RenderOptions options) {
    return style::paint(text, color, options.color);
}

// The source line as shown: control characters other than tab become '?', one for
// one, so that they neither act on the terminal nor move the caret (a NUL would
// also end the text for anyone who prints it as a C string).
std::string shown_line(std::string_view line) {
    std::string out(line);
    for (char& c : out) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && c != '\t') || byte == 0x7f) c = '?';
    }
    return out;
}

constexpr std::string_view kCut = "…";

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Moves a cut position back to the start of the code point it falls in.
std::size_t code_point_start(std::string_view text, std::size_t at) {
    while (at > 0 && at < text.size() && is_continuation(text[at])) --at;
    return at;
}

// The part of a long line that is shown: at most kExcerptColumns bytes around the
// caret, so that a 1 MB line does not print a megabyte (twice, with the caret line).
struct Window {
    std::size_t begin = 0;
    std::size_t end = 0;
};

Window excerpt_window(std::string_view line, std::size_t caret_col) {
    if (line.size() <= kExcerptColumns) return {0, line.size()};
    std::size_t begin = caret_col > kExcerptColumns / 3 ? caret_col - kExcerptColumns / 3 : 0;
    begin = std::min(begin, line.size() - kExcerptColumns);
    const std::size_t end = code_point_start(line, begin + kExcerptColumns);
    return {code_point_start(line, begin), end};
}

// "  12 | text" and "     |    ^~~~" under it. Tabs before the caret are kept so
// that the caret lines up in any editor's tab width. A line longer than
// kExcerptColumns is cut to a window around the caret, with "…" where it was cut.
void render_excerpt(std::string& out, const SourceSet& sources, SourceRange range,
                    RenderOptions options) {
    const SourceFile& file = sources.file(range.file);
    const LineCol lc = file.line_col(range.offset);
    const std::string_view whole_line = file.line_text(lc.line);
    const std::string number = fmt::format("{}", lc.line);
    const std::string gutter(std::max<std::size_t>(number.size(), 4), ' ');

    const std::size_t whole_caret_col = std::min<std::size_t>(lc.col - 1, whole_line.size());
    const Window window = excerpt_window(whole_line, whole_caret_col);
    const std::string_view line = whole_line.substr(window.begin, window.end - window.begin);
    const bool cut_before = window.begin > 0;
    const bool cut_after = window.end < whole_line.size();
    fmt::format_to(std::back_inserter(out), "{:>{}} | {}{}{}\n", number, gutter.size(), cut_before ? kCut : "",
                   shown_line(line), cut_after ? kCut : "");

    std::string pad(cut_before ? 1 : 0, ' ');
    const std::size_t caret_col = std::clamp(whole_caret_col, window.begin, window.end) - window.begin;
    for (std::size_t i = 0; i < caret_col; ++i) pad += line[i] == '\t' ? '\t' : ' ';
    std::size_t width = range.length;
    if (caret_col + width > line.size()) width = line.size() - caret_col;
    if (width == 0) width = 1;
    const std::string marker = "^" + std::string(width - 1, '~');
    fmt::format_to(std::back_inserter(out), "{} | {}{}\n", gutter, pad,
                   paint(marker, style::bold_green, options));
}

// A message that quotes a huge word is cut in the middle, as the excerpt is.
std::string shown_message(std::string_view message) {
    if (message.size() <= kMessageBytes) return std::string(message);
    const std::size_t head = code_point_start(message, kMessageBytes * 2 / 3);
    const std::size_t tail = code_point_start(message, message.size() - kMessageBytes / 3);
    return fmt::format("{}{}{}", message.substr(0, head), kCut, message.substr(tail));
}

void render_head(std::string& out, const SourceSet& sources, SourceRange range, Severity severity,
                 std::string_view message, RenderOptions options) {
    const std::string where = sources.location(range);
    if (!where.empty()) out += paint(where + ":", style::bold, options) + " ";
    out += paint(fmt::format("{}:", severity_name(severity)), severity_color(severity), options);
    out += " ";
    out += paint(shown_message(message), style::bold, options);
    out += "\n";
    if (range.known()) render_excerpt(out, sources, range, options);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

Diagnostic& Diagnostics::error(SourceRange range, std::string message) {
    ++errors_;
    return list_.emplace_back(Diagnostic{Severity::error, range, std::move(message), {}});
}

Diagnostic& Diagnostics::warning(SourceRange range, std::string message) {
    ++warnings_;
    return list_.emplace_back(Diagnostic{Severity::warning, range, std::move(message), {}});
}

void Diagnostics::sort_by_location() {
    std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
        if (a.range.file != b.range.file) return a.range.file < b.range.file;
        return a.range.offset < b.range.offset;
    });
}

void Diagnostics::append(const Diagnostics& other) {
    list_.insert(list_.end(), other.list_.begin(), other.list_.end());
    errors_ += other.errors_;
    warnings_ += other.warnings_;
}

std::string render(const SourceSet& sources, const Diagnostic& diagnostic, RenderOptions options) {
    std::string out;
    render_head(out, sources, diagnostic.range, diagnostic.severity, diagnostic.message, options);
    for (const DiagnosticNote& note : diagnostic.notes) {
        render_head(out, sources, note.range, Severity::note, note.message, options);
    }
    return out;
}

std::string render_all(const SourceSet& sources, const Diagnostics& diagnostics,
                       RenderOptions options) {
    if (diagnostics.empty()) return {};
    std::string out;
    for (const Diagnostic& d : diagnostics.all()) out += render(sources, d, options);
    if (diagnostics.error_count() != 0 && diagnostics.warning_count() != 0) {
        out += fmt::format("{}, {}\n", plural(diagnostics.error_count(), "error"),
                           plural(diagnostics.warning_count(), "warning"));
    } else if (diagnostics.error_count() != 0) {
        out += plural(diagnostics.error_count(), "error") + "\n";
    } else {
        out += plural(diagnostics.warning_count(), "warning") + "\n";
    }
    return out;
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const std::string& candidate : candidates) {
        const std::size_t d = edit_distance(word, candidate);
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    return best;
}

}  // namespace podnetc
