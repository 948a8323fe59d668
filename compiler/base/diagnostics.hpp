// Compiler-grade diagnostics: "file:line:col: error: message", the source line
// and a caret under the range. Every stage reports into one Diagnostics object so
// that all errors of a file come out in one run.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/source.hpp"

namespace podnetc {

enum class Severity { error, warning, note };
// "error", "warning", "note": as rendered, and in JSON.
std::string_view severity_name(Severity severity);

struct DiagnosticNote {
    SourceRange range;  // may be unknown: then the note is printed without location
    std::string message;
};

struct Diagnostic {
    Severity severity = Severity::error;
    SourceRange range;
    std::string message;
    std::vector<DiagnosticNote> notes;
};

class Diagnostics {
public:
    Diagnostic& error(SourceRange range, std::string message);
    Diagnostic& warning(SourceRange range, std::string message);

    bool has_errors() const { return errors_ != 0; }
    std::size_t error_count() const { return errors_; }
    std::size_t warning_count() const { return warnings_; }
    bool empty() const { return list_.empty(); }
    const std::vector<Diagnostic>& all() const { return list_; }

    // Orders diagnostics by file and position (stable), so that output reads top to
    // bottom whatever order the checks ran in.
    void sort_by_location();
    void append(const Diagnostics& other);

private:
    std::vector<Diagnostic> list_;
    std::size_t errors_ = 0;
    std::size_t warnings_ = 0;
};

// Bounds of what one diagnostic prints from the file: a source line longer than
// kExcerptColumns bytes is shown as a window around the caret, a message longer
// than kMessageBytes (one quoting a huge word) is cut in the middle; "…" marks a cut.
inline constexpr std::size_t kExcerptColumns = 200;
inline constexpr std::size_t kMessageBytes = 400;

struct RenderOptions {
    bool color = false;
};

// One diagnostic with its source excerpt and notes, ending in a newline.
std::string render(const SourceSet& sources, const Diagnostic& diagnostic, RenderOptions options = {});
// Every diagnostic followed by a summary line ("2 errors, 1 warning"); "" when empty.
std::string render_all(const SourceSet& sources, const Diagnostics& diagnostics,
                       RenderOptions options = {});

// The closest candidate by edit distance, for "did you mean" notes; "" if none is close.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace podnetc
