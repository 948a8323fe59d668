// The syntax tree of a topology file. Both front ends (.pnet via PEGTL, .toml via
// TOML++) produce exactly this tree; lowering turns it into the IR. Nothing here is
// checked yet: names, addresses and option values are kept as written (as Words,
// which may contain {expr} interpolations inside `for` loops).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/base/source.hpp"

namespace podnetc::ast {

// An integer expression inside {…}: numbers, loop variables, + - * / % and parentheses.
struct Expr {
    enum class Kind { number, variable, add, sub, mul, div, mod };
    Kind kind = Kind::number;
    std::int64_t number = 0;          // Kind::number
    std::string variable;             // Kind::variable
    std::vector<Expr> operands;       // two for the binary kinds
    SourceRange range;
};

// One piece of a Word: literal text, or an interpolation {expr} / {expr:0N}.
struct WordPart {
    std::string literal;              // used when expr is empty
    std::optional<Expr> expr;
    int zero_pad_width = 0;           // {i:03} -> 3
    SourceRange range;
};

// A name or value as written: "pod-1", "10.10.1.10/24", "pod-{i}", "10.64.{i/250}.{i%250}".
struct Word {
    std::vector<WordPart> parts;
    SourceRange range;

    bool is_literal() const {
        for (const auto& p : parts) {
            if (p.expr) return false;
        }
        return true;
    }
    // The text of a literal word (interpolations are left out).
    std::string literal_text() const {
        std::string s;
        for (const auto& p : parts) s += p.literal;
        return s;
    }
};

Word literal_word(std::string text, SourceRange range);

// `key value` or a bare flag (`adopt`). Which keys exist, which take a value and
// which make sense where is the business of lowering, so that TOML and .pnet share
// one set of checks.
struct Option {
    std::string key;
    SourceRange key_range;
    std::optional<Word> value;
    SourceRange range;  // key and value
};

// `[IFNAME] on NETWORK option…` inside a pod (or on the pod's header line).
struct InterfaceDecl {
    std::optional<Word> name;  // absent: derived (eth0, eth1, … or per-peer for a mesh)
    Word network;
    std::vector<Option> options;
    SourceRange range;
};

// `network NAME option… [{ option… }]`
struct NetworkDecl {
    Word name;
    std::vector<Option> options;
    SourceRange range;
};

// `pod NAME [option…] [on NETWORK option…] [{ interface… }]`
struct PodDecl {
    Word name;
    std::vector<Option> options;  // pod-level (before `on`): adopt
    std::vector<InterfaceDecl> interfaces;
    SourceRange range;
};

struct Decl;

// `for VAR in FIRST..LAST { decl… }`, expanded in ascending order, both ends included.
struct ForDecl {
    std::string variable;
    SourceRange variable_range;
    std::int64_t first = 0;
    std::int64_t last = 0;
    SourceRange range_range;  // the FIRST..LAST text
    std::vector<Decl> body;
    SourceRange range;
};

// `node NAME [option…] { decl… }` (options: the node's underlay, `underlay ADDR dev IFNAME`)
struct NodeDecl {
    Word name;
    std::vector<Option> options;
    std::vector<Decl> body;
    SourceRange range;
};

// `cluster option…` at the top level: how the nodes reach each other's pods
// (`cluster backend host-gw`).
struct ClusterDecl {
    std::vector<Option> options;
    SourceRange range;
};

struct Decl {
    std::variant<NetworkDecl, PodDecl, ForDecl, NodeDecl> node;
};

struct File {
    FileId file = 0;
    std::vector<Decl> decls;
    // Every `cluster` line (TOML: the [cluster] table); lowering refuses a second.
    std::vector<ClusterDecl> clusters;
    // Networks whose declaration was left out after an error in it (names written
    // literally): lowering does not report references to them as unknown again.
    std::vector<std::string> broken_networks;
    // The front end reported errors and left the broken statements or tables out.
    bool incomplete = false;
};

}  // namespace podnetc::ast
