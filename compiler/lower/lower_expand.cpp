#include "compiler/lower/lower_expand.hpp"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

namespace podnetc::lowering {
namespace {

bool holds_wanted(const std::vector<ast::Decl>& decls, const Expander::Visitor& visitor) {
    for (const ast::Decl& decl : decls) {
        if (std::holds_alternative<ast::NetworkDecl>(decl.node) && visitor.network) return true;
        if (std::holds_alternative<ast::PodDecl>(decl.node) && visitor.pod) return true;
        if (const auto* loop = std::get_if<ast::ForDecl>(&decl.node); loop && holds_wanted(loop->body, visitor)) {
            return true;
        }
    }
    return false;
}

std::string_view operator_text(ast::Expr::Kind kind) {
    switch (kind) {
        case ast::Expr::Kind::add: return "+";
        case ast::Expr::Kind::sub: return "-";
        case ast::Expr::Kind::mul: return "*";
        case ast::Expr::Kind::div: return "/";
        case ast::Expr::Kind::mod: return "%";
        default: return "?";
    }
}

}  // namespace

void Expander::walk(const ast::File& file, const ast::NodeDecl* node, const Visitor& visitor) {
    iterations_ = 0;  // the limit is per walk: the walk for networks skips most loops
    stopped_ = false;
    bool has_nodes = false;
    for (const ast::Decl& decl : file.decls) {
        has_nodes = has_nodes || std::holds_alternative<ast::NodeDecl>(decl.node);
    }
    walk_list(file.decls, node, true, has_nodes, visitor);
}

void Expander::walk_list(const std::vector<ast::Decl>& decls, const ast::NodeDecl* node,
                         bool top_level, bool shared, const Visitor& visitor) {
    for (const ast::Decl& decl : decls) {
        if (stopped_) return;
        if (const auto* network = std::get_if<ast::NetworkDecl>(&decl.node)) {
            if (visitor.network) visitor.network(*network, shared);
        } else if (const auto* pod = std::get_if<ast::PodDecl>(&decl.node)) {
            if (visitor.pod) visitor.pod(*pod, shared);
        } else if (const auto* loop = std::get_if<ast::ForDecl>(&decl.node)) {
            walk_for(*loop, shared, visitor);
        } else if (const auto* block = std::get_if<ast::NodeDecl>(&decl.node)) {
            if (top_level && block == node) walk_list(block->body, node, false, false, visitor);
        }
    }
}

void Expander::stop_at_limit(const ast::ForDecl& loop, const NestCost& cost) {
    std::string nest;
    if (cost.chain.size() > 1) {
        std::uint64_t product = 1;
        std::string factors;
        for (const std::uint64_t count : cost.chain) {
            factors += (factors.empty() ? "" : " × ") + group_thousands(count);
            if (__builtin_mul_overflow(product, count, &product)) product = UINT64_MAX;
        }
        nest = product == UINT64_MAX ? fmt::format(": the nest from here runs {} iterations and more", factors)
                                     : fmt::format(": the nest from here runs {} = {} iterations", factors,
                                                   group_thousands(product));
    }
    reporter_.fixed_error(loop.range_range, "loop-limit",
                          fmt::format("loops expand to more than {} iterations{}; is {}..{} a typo?",
                                      group_thousands(max_iterations_), nest, loop.first, loop.last));
    stopped_ = true;
}

// What walk_for will count for `loop` (one per iteration of every loop of the
// nest), without walking it: the loops it would refuse or skip count nothing.
Expander::NestCost Expander::nest_cost(const ast::ForDecl& loop, const Visitor& visitor,
                                       std::vector<std::string_view>& enclosing) {
    if (loop.first < 0 || loop.last < 0 || loop.first > loop.last || !holds_wanted(loop.body, visitor) ||
        std::find(enclosing.begin(), enclosing.end(), loop.variable) != enclosing.end()) {
        return {};
    }
    const auto count = static_cast<std::uint64_t>(loop.last - loop.first) + 1;
    enclosing.push_back(loop.variable);
    std::uint64_t per_iteration = 1;
    NestCost widest;  // the inner loop with the most iterations, for the message
    for (const ast::Decl& decl : loop.body) {
        const auto* inner = std::get_if<ast::ForDecl>(&decl.node);
        if (inner == nullptr) continue;
        NestCost cost = nest_cost(*inner, visitor, enclosing);
        if (__builtin_add_overflow(per_iteration, cost.iterations, &per_iteration)) per_iteration = UINT64_MAX;
        if (cost.iterations > widest.iterations) widest = std::move(cost);
    }
    enclosing.pop_back();
    NestCost result;
    if (__builtin_mul_overflow(count, per_iteration, &result.iterations)) result.iterations = UINT64_MAX;
    result.chain.push_back(count);
    result.chain.insert(result.chain.end(), widest.chain.begin(), widest.chain.end());
    return result;
}

void Expander::walk_for(const ast::ForDecl& loop, bool shared, const Visitor& visitor) {
    if (loop.first < 0 || loop.last < 0) {
        reporter_.fixed_error(loop.range_range, "loop-negative",
                              fmt::format("loop range {}..{} has a negative bound; loop variables count "
                                          "from 0 upwards",
                                          loop.first, loop.last));
        return;
    }
    if (loop.first > loop.last) {
        if (Diagnostic* d = reporter_.fixed_error(
                loop.range_range, "loop-empty",
                fmt::format("loop range {}..{} is empty", loop.first, loop.last))) {
            d->notes.push_back({SourceRange{}, fmt::format("both ends are included: write {}..{} to count "
                                                           "upwards",
                                                           loop.last, loop.first)});
        }
        return;
    }
    for (const Scope& outer : scopes_) {
        if (outer.loop->variable != loop.variable) continue;
        if (Diagnostic* d = reporter_.fixed_error(
                loop.variable_range, "loop-shadow",
                fmt::format("loop variable '{}' shadows the variable of an enclosing loop", loop.variable))) {
            d->notes.push_back({outer.loop->variable_range, "the enclosing loop's variable is declared here"});
        }
        return;
    }
    if (!holds_wanted(loop.body, visitor)) return;

    // A nest whose ranges alone go over the limit is refused before any work on it:
    // its iteration count is known from the static ranges.
    std::vector<std::string_view> enclosing;
    for (const Scope& outer : scopes_) enclosing.push_back(outer.loop->variable);
    const NestCost cost = nest_cost(loop, visitor, enclosing);
    if (cost.iterations > max_iterations_ - std::min(iterations_, max_iterations_)) {
        stop_at_limit(loop, cost);
        return;
    }
    scopes_.push_back(Scope{&loop, loop.first});
    for (std::int64_t value = loop.first;; ++value) {
        if (++iterations_ > max_iterations_) {  // nest_cost refuses first; kept as the guard
            stop_at_limit(loop, NestCost{});
            break;
        }
        scopes_.back().value = value;
        context_stale_ = true;
        walk_list(loop.body, nullptr, false, shared, visitor);
        if (stopped_ || value == loop.last) break;
    }
    scopes_.pop_back();
    context_stale_ = true;
}

ContextId Expander::context() {
    if (scopes_.empty()) return 0;
    if (context_stale_) {
        std::vector<Binding> bindings;
        bindings.reserve(scopes_.size());
        for (const Scope& scope : scopes_) bindings.push_back(Binding{scope.loop->variable, scope.value});
        context_ = contexts_.add(std::move(bindings));
        context_stale_ = false;
    }
    return context_;
}

std::optional<std::string> Expander::expand(const ast::Word& word) {
    if (word.parts.size() == 1 && !word.parts[0].expr) return word.parts[0].literal;
    std::string text;
    bool ok = true;
    for (const ast::WordPart& part : word.parts) {
        if (!part.expr) {
            text += part.literal;
            continue;
        }
        if (scopes_.empty()) {
            reporter_.fixed_error(part.range, "interpolation-outside-loop",
                                  "interpolation outside a `for` loop");
            ok = false;
            continue;
        }
        const auto value = evaluate(*part.expr);
        if (!value) {
            ok = false;
            continue;
        }
        fmt::format_to(std::back_inserter(text), "{:0{}}", *value, part.zero_pad_width);
    }
    if (!ok) return std::nullopt;
    return text;
}

std::optional<Located> Expander::locate(const ast::Word& word) {
    auto text = expand(word);
    if (!text) return std::nullopt;
    return Located{std::move(*text), word.range};
}

std::optional<std::int64_t> Expander::variable(const ast::Expr& expr) {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
        if (it->loop->variable == expr.variable) return it->value;
    }
    if (Diagnostic* d = reporter_.fixed_error(expr.range, "unknown-variable",
                                              fmt::format("unknown variable '{}'", expr.variable))) {
        std::vector<std::string> names;
        for (const Scope& scope : scopes_) names.push_back(scope.loop->variable);
        const std::string close = closest_match(expr.variable, names);
        std::string list;
        for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
        d->notes.push_back({SourceRange{}, close.empty()
                                               ? fmt::format("the loop variables here are: {}", list)
                                               : fmt::format("did you mean '{}'?", close)});
    }
    return std::nullopt;
}

std::optional<std::int64_t> Expander::evaluate(const ast::Expr& expr) {
    using Kind = ast::Expr::Kind;
    if (expr.kind == Kind::number) return expr.number;
    if (expr.kind == Kind::variable) return variable(expr);
    if (expr.operands.size() != 2) return std::nullopt;  // the parser never builds this
    const auto lhs = evaluate(expr.operands[0]);
    const auto rhs = evaluate(expr.operands[1]);
    if (!lhs || !rhs) return std::nullopt;
    std::int64_t result = 0;
    bool overflow = false;
    switch (expr.kind) {
        case Kind::add: overflow = __builtin_add_overflow(*lhs, *rhs, &result); break;
        case Kind::sub: overflow = __builtin_sub_overflow(*lhs, *rhs, &result); break;
        case Kind::mul: overflow = __builtin_mul_overflow(*lhs, *rhs, &result); break;
        case Kind::div:
        case Kind::mod:
            if (*rhs == 0) {
                reporter_.error(expr.range, "division-by-zero", context(),
                                fmt::format("division by zero ({} {} 0)", *lhs, operator_text(expr.kind)));
                return std::nullopt;
            }
            if (*lhs == INT64_MIN && *rhs == -1) {
                overflow = true;
                break;
            }
            result = expr.kind == Kind::div ? *lhs / *rhs : *lhs % *rhs;
            break;
        default: return std::nullopt;
    }
    if (overflow) {
        reporter_.error(expr.range, "overflow", context(),
                        fmt::format("integer overflow: {} {} {} does not fit in 64 bits", *lhs,
                                    operator_text(expr.kind), *rhs));
        return std::nullopt;
    }
    return result;
}

void check_structure(const ast::File& file, Reporter& reporter) {
    std::unordered_map<std::string, SourceRange> seen;
    // Both front ends refuse node blocks below the top level (a syntax error).
    for (const ast::Decl& decl : file.decls) {
        const auto* node = std::get_if<ast::NodeDecl>(&decl.node);
        if (node == nullptr) continue;
        if (!node->name.is_literal()) {
            reporter.fixed_error(node->name.range, "node-name-interpolated",
                                 "a node name cannot contain interpolations");
            continue;
        }
        const std::string name = node->name.literal_text();
        const auto [it, inserted] = seen.try_emplace(name, node->name.range);
        if (!inserted) {
            if (Diagnostic* d = reporter.fixed_error(node->name.range, "node-duplicate",
                                                     fmt::format("duplicate node '{}'", name))) {
                d->notes.push_back({it->second, "first declared here"});
            }
        }
    }
}

}  // namespace podnetc::lowering
