// How lowering reports problems. A declaration inside a `for` loop is checked once
// per expansion, so one mistake in a template could fail 110 times; the Reporter
// keeps the first failure of each (range, kind) with a note naming the loop
// variables, counts the rest and ends with "and N more expansions".
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/base/diagnostics.hpp"
#include "compiler/base/text_format.hpp"

namespace podnetc::lowering {

// One loop variable's value in one expansion.
struct Binding {
    std::string_view variable;  // points into the AST
    std::int64_t value = 0;
};

// The loop variables' values of every expansion that produced a declaration.
// Id 0 means "not inside a loop".
using ContextId = std::uint32_t;

class Contexts {
public:
    Contexts() { list_.emplace_back(); }
    ContextId add(std::vector<Binding> bindings);
    // "i = 3, j = 4"; "" for context 0.
    std::string describe(ContextId id) const;
    // " (i = 3)" for use in a note; "" for context 0.
    std::string suffix(ContextId id) const;

private:
    std::vector<std::vector<Binding>> list_;
};

class Reporter {
public:
    explicit Reporter(const Contexts& contexts) : contexts_(contexts) {}

    // A problem of one expansion. Returns the new diagnostic for adding notes, or
    // nullptr when an earlier expansion already reported the same kind at the same
    // range (then it is only counted). `kind` must be a string literal.
    Diagnostic* error(SourceRange range, std::string_view kind, ContextId context, std::string message);
    Diagnostic* warning(SourceRange range, std::string_view kind, ContextId context,
                        std::string message);
    // A problem of the text itself, the same in every expansion: reported once,
    // with neither expansion note nor count.
    Diagnostic* fixed_error(SourceRange range, std::string_view kind, std::string message);

    bool has_errors() const { return errors_ != 0; }

    // The front end left statements with syntax errors out of the tree: problems that
    // conclude from something's absence ("has no subnet", "not used") are not
    // reported, as the missing part may be in the statement left out.
    void parts_left_out() { parts_left_out_ = true; }

    // Moves everything reported into `out`, adding the expansion notes.
    void flush(Diagnostics& out);

private:
    struct Key {
        SourceRange range;
        std::string_view kind;
        friend bool operator==(const Key&, const Key&) = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& key) const;
    };
    struct Pending {
        Diagnostic diagnostic;
        ContextId context = 0;
        std::size_t repeats = 0;
        bool fixed = false;
    };

    Diagnostic* report(Severity severity, SourceRange range, std::string_view kind, ContextId context,
                       std::string message, bool fixed);

    static bool concludes_from_absence(std::string_view kind);

    const Contexts& contexts_;
    bool parts_left_out_ = false;
    std::deque<Pending> pending_;  // a deque: pointers handed out stay valid
    std::unordered_map<Key, std::size_t, KeyHash> index_;
    std::size_t errors_ = 0;
};

}  // namespace podnetc::lowering
