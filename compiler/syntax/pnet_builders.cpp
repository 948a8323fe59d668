#include "compiler/syntax/pnet_builders.hpp"

#include <fmt/format.h>

namespace podnetc::pnet {

void WordBuilder::add_literal(const char* begin, const char* end) {
    word_.parts.push_back(ast::WordPart{std::string(begin, end), std::nullopt, 0, ctx.range(begin, end)});
}

void WordBuilder::push_number(const char* begin, const char* end) {
    ast::Expr expr;
    expr.kind = ast::Expr::Kind::number;
    expr.range = ctx.range(begin, end);
    if (const auto value = parse_decimal(std::string_view(begin, static_cast<std::size_t>(end - begin)))) {
        expr.number = *value;
    } else {
        ctx.error(begin, end, "number too large (at most 9223372036854775807)");
    }
    operands_.push_back(std::move(expr));
}

void WordBuilder::push_variable(const char* begin, const char* end) {
    ast::Expr expr;
    expr.kind = ast::Expr::Kind::variable;
    expr.variable.assign(begin, end);
    expr.range = ctx.range(begin, end);
    operands_.push_back(std::move(expr));
}

void WordBuilder::combine(ast::Expr::Kind kind, const char* op) {
    // A long chain such as 1+1+…+1 makes a tree as deep as it is long; bound it so
    // that no later stage recurses without limit.
    if (++operators_ > grammar::max_expression_operators) {
        ctx.error(op, op + 1, fmt::format("expression too long (at most {} operators in one {{…}})",
                                          grammar::max_expression_operators));
        throw grammar::statement_abandoned{op};
    }
    ast::Expr rhs = std::move(operands_.back());
    operands_.pop_back();
    ast::Expr lhs = std::move(operands_.back());
    operands_.pop_back();
    ast::Expr expr;
    expr.kind = kind;
    expr.range = cover(lhs.range, rhs.range);
    expr.operands.push_back(std::move(lhs));
    expr.operands.push_back(std::move(rhs));
    operands_.push_back(std::move(expr));
}

void WordBuilder::parenthesized(const char* begin, const char* end) {
    operands_.back().range = ctx.range(begin, end);
}

void WordBuilder::set_zero_pad(const char* begin, const char* end) {
    const auto width = parse_decimal(std::string_view(begin, static_cast<std::size_t>(end - begin)));
    if (!width || *width > grammar::max_zero_pad_width) {
        ctx.error(begin, end, fmt::format("zero-padding width too large (at most {})",
                                          grammar::max_zero_pad_width));
        zero_pad_ = 0;
        return;
    }
    zero_pad_ = static_cast<int>(*width);
}

void WordBuilder::add_interpolation(const char* begin, const char* end) {
    ast::WordPart part;
    part.expr = std::move(operands_.back());
    operands_.clear();
    part.zero_pad_width = zero_pad_;
    part.range = ctx.range(begin, end);
    word_.parts.push_back(std::move(part));
    zero_pad_ = 0;
    operators_ = 0;
}

ast::Word WordBuilder::finish(const char* end) {
    word_.range = range_to(end);
    return std::move(word_);
}

void OptionBuilder::set_key(const char* begin, const char* end) {
    option_.key.assign(begin, end);
    option_.key_range = ctx.range(begin, end);
}

ast::Option OptionBuilder::finish(const char* end) {
    option_.range = range_to(end);
    return std::move(option_);
}

void NetworkBuilder::add(OptionLineBuilder&& line) {
    for (ast::Option& option : line.options) decl.options.push_back(std::move(option));
}

NetworkBuilder::~NetworkBuilder() {
    if (!finished && !decl.name.parts.empty() && decl.name.is_literal()) {
        ctx.network_left_out(decl.name.literal_text());
    }
}

ast::Decl NetworkBuilder::finish(const char* end) {
    finished = true;
    decl.range = range_to(end);
    return ast::Decl{std::move(decl)};
}

ast::InterfaceDecl InterfaceBuilder::finish(const char* end) {
    decl.range = range_to(end);
    return std::move(decl);
}

ast::Decl PodBuilder::finish(const char* end) {
    decl.range = range_to(end);
    return ast::Decl{std::move(decl)};
}

void ForBuilder::set_variable(const char* begin, const char* end) {
    decl.variable.assign(begin, end);
    decl.variable_range = ctx.range(begin, end);
}

ast::Decl ForBuilder::finish(const char* end) {
    decl.first = loop.first;
    decl.last = loop.last;
    decl.range_range = loop.range;
    decl.range = range_to(end);
    return ast::Decl{std::move(decl)};
}

ast::Decl NodeBuilder::finish(const char* end) {
    decl.range = range_to(end);
    return ast::Decl{std::move(decl)};
}

ast::ClusterDecl ClusterBuilder::finish(const char* end) {
    decl.range = range_to(end);
    return std::move(decl);
}

}  // namespace podnetc::pnet
