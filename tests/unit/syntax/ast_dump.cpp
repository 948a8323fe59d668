#include "tests/unit/syntax/ast_dump.hpp"

#include <fmt/format.h>

namespace podnetc::test {
namespace {

char operator_char(ast::Expr::Kind kind) {
    switch (kind) {
        case ast::Expr::Kind::add: return '+';
        case ast::Expr::Kind::sub: return '-';
        case ast::Expr::Kind::mul: return '*';
        case ast::Expr::Kind::div: return '/';
        case ast::Expr::Kind::mod: return '%';
        case ast::Expr::Kind::number:
        case ast::Expr::Kind::variable: break;
    }
    return '?';
}

std::string dump_options(const std::vector<ast::Option>& options) {
    std::string out;
    for (const ast::Option& option : options) {
        out += ' ' + option.key;
        if (option.value) out += '=' + dump(*option.value);
    }
    return out;
}

void dump_decls(std::string& out, const std::vector<ast::Decl>& decls, int depth);

void dump_decl(std::string& out, const ast::Decl& decl, int depth) {
    const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
    if (const auto* network = std::get_if<ast::NetworkDecl>(&decl.node)) {
        out += fmt::format("{}network {}{}\n", indent, dump(network->name), dump_options(network->options));
    } else if (const auto* pod = std::get_if<ast::PodDecl>(&decl.node)) {
        out += fmt::format("{}pod {}{}\n", indent, dump(pod->name), dump_options(pod->options));
        for (const ast::InterfaceDecl& interface : pod->interfaces) {
            out += fmt::format("{}  interface {}on {}{}\n", indent,
                               interface.name ? dump(*interface.name) + " " : "",
                               dump(interface.network), dump_options(interface.options));
        }
    } else if (const auto* loop = std::get_if<ast::ForDecl>(&decl.node)) {
        out += fmt::format("{}for {} in {}..{}\n", indent, loop->variable, loop->first, loop->last);
        dump_decls(out, loop->body, depth + 1);
    } else if (const auto* node = std::get_if<ast::NodeDecl>(&decl.node)) {
        out += fmt::format("{}node {}{}\n", indent, dump(node->name), dump_options(node->options));
        dump_decls(out, node->body, depth + 1);
    }
}

void dump_decls(std::string& out, const std::vector<ast::Decl>& decls, int depth) {
    for (const ast::Decl& decl : decls) dump_decl(out, decl, depth);
}

}  // namespace

std::string dump(const ast::Expr& expr) {
    switch (expr.kind) {
        case ast::Expr::Kind::number: return fmt::format("{}", expr.number);
        case ast::Expr::Kind::variable: return expr.variable;
        default:
            if (expr.operands.size() != 2) return "<malformed>";
            return fmt::format("({} {} {})", dump(expr.operands[0]), operator_char(expr.kind),
                               dump(expr.operands[1]));
    }
}

std::string dump(const ast::Word& word) {
    std::string out;
    for (const ast::WordPart& part : word.parts) {
        if (!part.expr) {
            out += part.literal;
        } else if (part.zero_pad_width != 0) {
            out += fmt::format("{{{}:0{}}}", dump(*part.expr), part.zero_pad_width);
        } else {
            out += fmt::format("{{{}}}", dump(*part.expr));
        }
    }
    return out;
}

std::string dump(const ast::File& file) {
    std::string out;
    for (const ast::ClusterDecl& cluster : file.clusters) out += "cluster" + dump_options(cluster.options) + "\n";
    dump_decls(out, file.decls, 0);
    return out;
}

}  // namespace podnetc::test
