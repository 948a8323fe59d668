// Loop expansion: walks the declarations one node sees, repeating `for` bodies
// with their variable bound, and expands words ("pod-{i:03}") in the current
// binding. Declarations are handed to callbacks; nothing is stored here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/syntax/ast.hpp"
#include "compiler/lower/lower_report.hpp"

namespace podnetc::lowering {

// A word after expansion, with the range of the word in the file.
struct Located {
    std::string text;
    SourceRange range;
};

class Expander {
public:
    // More than `max_iterations` loop iterations in one walk stop the expansion with
    // an error (LowerOptions::max_loop_iterations).
    Expander(Reporter& reporter, Contexts& contexts, std::uint64_t max_iterations)
        : reporter_(reporter), contexts_(contexts), max_iterations_(max_iterations) {}

    // What a walk hands out. `shared`: the declaration is outside every node
    // block of a file that has node blocks.
    struct Visitor {
        std::function<void(const ast::NetworkDecl&, bool shared)> network;
        std::function<void(const ast::PodDecl&, bool shared)> pod;
    };

    // Walks the file's top-level declarations and the body of `node` (may be null),
    // in file order. Node blocks other than `node` are skipped, so are nested ones
    // (check_structure reports those). Visitor members may be empty: a walk for
    // networks only does not iterate loops that hold no network.
    void walk(const ast::File& file, const ast::NodeDecl* node, const Visitor& visitor);

    // The word in the current binding; nullopt after reporting why it cannot be expanded.
    std::optional<std::string> expand(const ast::Word& word);
    std::optional<Located> locate(const ast::Word& word);

    // Whether the last walk stopped at the iteration limit.
    bool stopped() const { return stopped_; }

    // The current expansion's loop variables (0 outside loops).
    ContextId context();

private:
    struct Scope {
        const ast::ForDecl* loop;
        std::int64_t value;
    };

    void walk_list(const std::vector<ast::Decl>& decls, const ast::NodeDecl* node, bool top_level,
                   bool shared, const Visitor& visitor);
    void walk_for(const ast::ForDecl& loop, bool shared, const Visitor& visitor);
    // Iterations a loop nest costs (saturating) and the range sizes along its
    // costliest chain of inner loops, outermost first.
    struct NestCost {
        std::uint64_t iterations = 0;
        std::vector<std::uint64_t> chain;
    };
    NestCost nest_cost(const ast::ForDecl& loop, const Visitor& visitor, std::vector<std::string_view>& enclosing);
    void stop_at_limit(const ast::ForDecl& loop, const NestCost& cost);
    std::optional<std::int64_t> evaluate(const ast::Expr& expr);
    std::optional<std::int64_t> variable(const ast::Expr& expr);

    Reporter& reporter_;
    Contexts& contexts_;
    std::vector<Scope> scopes_;
    ContextId context_ = 0;
    bool context_stale_ = false;
    std::uint64_t max_iterations_;
    std::uint64_t iterations_ = 0;
    bool stopped_ = false;
};

// Problems of the file's shape, independent of the node: node blocks inside node
// blocks or loops, duplicate node names, node names that are not plain words.
void check_structure(const ast::File& file, Reporter& reporter);

}  // namespace podnetc::lowering
