#include "tests/unit/ast_builder.hpp"

#include <cctype>
#include <stdexcept>

#include <fmt/format.h>

namespace podnetc::test {
namespace {

struct Token {
    enum class Kind { word, open, close, end_statement, end } kind = Kind::end;
    ast::Word word;
    SourceRange range;
};

bool word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.' || c == '/' ||
           c == ':';
}

// Recursive descent over the text inside {…}.
class ExprParser {
public:
    ExprParser(std::string_view text, FileId file, std::uint32_t base) : text_(text), file_(file), base_(base) {}

    ast::Expr parse_all() {
        ast::Expr e = sum();
        skip();
        if (pos_ != text_.size()) fail("trailing text in expression");
        return e;
    }

private:
    ast::Expr sum() {
        ast::Expr left = product();
        for (;;) {
            skip();
            if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) {
                const auto kind = text_[pos_] == '+' ? ast::Expr::Kind::add : ast::Expr::Kind::sub;
                ++pos_;
                left = binary(kind, std::move(left), product());
            } else {
                return left;
            }
        }
    }
    ast::Expr product() {
        ast::Expr left = atom();
        for (;;) {
            skip();
            if (pos_ < text_.size() && (text_[pos_] == '*' || text_[pos_] == '/' || text_[pos_] == '%')) {
                const auto kind = text_[pos_] == '*'   ? ast::Expr::Kind::mul
                                  : text_[pos_] == '/' ? ast::Expr::Kind::div
                                                       : ast::Expr::Kind::mod;
                ++pos_;
                left = binary(kind, std::move(left), atom());
            } else {
                return left;
            }
        }
    }
    ast::Expr atom() {
        skip();
        if (pos_ >= text_.size()) fail("expression ends early");
        const std::size_t start = pos_;
        if (text_[pos_] == '(') {
            ++pos_;
            ast::Expr inner = sum();
            skip();
            if (pos_ >= text_.size() || text_[pos_] != ')') fail("missing )");
            ++pos_;
            inner.range = range(start, pos_);
            return inner;
        }
        ast::Expr e;
        if (std::isdigit(static_cast<unsigned char>(text_[pos_])) != 0) {
            e.kind = ast::Expr::Kind::number;
            while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])) != 0) {
                e.number = e.number * 10 + (text_[pos_++] - '0');
            }
        } else if (std::isalpha(static_cast<unsigned char>(text_[pos_])) != 0 || text_[pos_] == '_') {
            e.kind = ast::Expr::Kind::variable;
            while (pos_ < text_.size() &&
                   (std::isalnum(static_cast<unsigned char>(text_[pos_])) != 0 || text_[pos_] == '_')) {
                e.variable += text_[pos_++];
            }
        } else {
            fail("unexpected character in expression");
        }
        e.range = range(start, pos_);
        return e;
    }
    ast::Expr binary(ast::Expr::Kind kind, ast::Expr left, ast::Expr right) {
        ast::Expr e;
        e.kind = kind;
        e.range = cover(left.range, right.range);
        e.operands.push_back(std::move(left));
        e.operands.push_back(std::move(right));
        return e;
    }
    void skip() {
        while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
    }
    SourceRange range(std::size_t begin, std::size_t end) const {
        return SourceRange{file_, base_ + static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end - begin)};
    }
    [[noreturn]] void fail(const char* what) const { throw std::runtime_error(fmt::format("mini_parse: {}", what)); }

    std::string_view text_;
    FileId file_;
    std::uint32_t base_;
    std::size_t pos_ = 0;
};

class Lexer {
public:
    Lexer(const std::string& text, FileId file) : text_(text), file_(file) {}

    Token next() {
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (c == ' ' || c == '\t' || c == '\r') {
                ++pos_;
            } else if (c == '#') {
                while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
            } else {
                break;
            }
        }
        Token token;
        if (pos_ >= text_.size()) return token;
        const std::size_t start = pos_;
        const char c = text_[pos_];
        if (c == '\n' || c == ';') {
            ++pos_;
            token.kind = Token::Kind::end_statement;
        } else if (c == '}') {
            ++pos_;
            token.kind = Token::Kind::close;
        } else if (c == '{' && (pos_ + 1 >= text_.size() || std::isspace(static_cast<unsigned char>(text_[pos_ + 1])) != 0)) {
            ++pos_;
            token.kind = Token::Kind::open;
        } else {
            token.kind = Token::Kind::word;
            token.word = word();
        }
        token.range = range(start, pos_);
        if (token.kind == Token::Kind::word) token.word.range = token.range;
        return token;
    }

private:
    ast::Word word() {
        ast::Word w;
        std::string literal;
        std::size_t literal_start = pos_;
        const auto flush = [&] {
            if (literal.empty()) return;
            w.parts.push_back(ast::WordPart{literal, std::nullopt, 0, range(literal_start, pos_)});
            literal.clear();
        };
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (word_char(c)) {
                if (literal.empty()) literal_start = pos_;
                literal += c;
                ++pos_;
            } else if (c == '{') {
                flush();
                const std::size_t open = pos_;
                const std::size_t close = text_.find('}', open);
                if (close == std::string::npos) throw std::runtime_error("mini_parse: unclosed {");
                std::string_view inside = std::string_view(text_).substr(open + 1, close - open - 1);
                ast::WordPart part;
                if (const std::size_t colon = inside.find(':'); colon != std::string_view::npos) {
                    part.zero_pad_width = std::stoi(std::string(inside.substr(colon + 2)));
                    inside = inside.substr(0, colon);
                }
                part.expr = ExprParser(inside, file_, static_cast<std::uint32_t>(open + 1)).parse_all();
                pos_ = close + 1;
                part.range = range(open, pos_);
                w.parts.push_back(std::move(part));
            } else {
                break;
            }
        }
        flush();
        if (w.parts.empty()) throw std::runtime_error(fmt::format("mini_parse: unexpected '{}'", text_[pos_]));
        return w;
    }

    SourceRange range(std::size_t begin, std::size_t end) const {
        return SourceRange{file_, static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end - begin)};
    }

    const std::string& text_;
    FileId file_;
    std::size_t pos_ = 0;
};

bool is_flag(std::string_view key) { return key == "adopt" || key == "default-route"; }

class Parser {
public:
    Parser(const std::string& text, FileId file) : lexer_(text, file) { advance(); }

    std::vector<ast::Decl> decls(bool in_block) {
        std::vector<ast::Decl> out;
        for (;;) {
            skip_ends();
            if (at(Token::Kind::end)) {
                if (in_block) fail("missing }");
                return out;
            }
            if (at(Token::Kind::close)) {
                if (!in_block) fail("unexpected }");
                advance();
                return out;
            }
            const Token keyword = expect_word();
            const std::string key = keyword.word.literal_text();
            if (key == "network") {
                out.push_back(ast::Decl{network(keyword)});
            } else if (key == "pod") {
                out.push_back(ast::Decl{pod(keyword)});
            } else if (key == "for") {
                out.push_back(ast::Decl{loop(keyword)});
            } else if (key == "node") {
                ast::NodeDecl node;
                node.name = expect_word().word;
                expect(Token::Kind::open);
                node.range = cover(keyword.range, node.name.range);
                node.body = decls(true);
                out.push_back(ast::Decl{std::move(node)});
            } else {
                fail("unknown declaration " + key);
            }
        }
    }

private:
    ast::NetworkDecl network(const Token& keyword) {
        ast::NetworkDecl decl;
        decl.name = expect_word().word;
        decl.range = cover(keyword.range, decl.name.range);
        options(decl.options, decl.range);
        if (at(Token::Kind::open)) {
            advance();
            for (;;) {
                skip_ends();
                if (at(Token::Kind::close)) break;
                options(decl.options, decl.range);
            }
            advance();
        }
        return decl;
    }

    ast::PodDecl pod(const Token& keyword) {
        ast::PodDecl decl;
        decl.name = expect_word().word;
        decl.range = cover(keyword.range, decl.name.range);
        while (at(Token::Kind::word) && current_.word.literal_text() != "on") options(decl.options, decl.range, true);
        if (at(Token::Kind::word)) decl.interfaces.push_back(interface(std::nullopt, decl.range));
        if (at(Token::Kind::open)) {
            advance();
            for (;;) {
                skip_ends();
                if (at(Token::Kind::close)) break;
                const Token first = expect_word();
                SourceRange line = first.range;
                if (first.word.literal_text() == "on") {
                    decl.interfaces.push_back(interface_after_on(std::nullopt, first.range, line));
                } else {
                    decl.interfaces.push_back(interface(first.word, line));
                }
            }
            advance();
        }
        return decl;
    }

    ast::InterfaceDecl interface(std::optional<ast::Word> name, SourceRange& outer) {
        const Token on = expect_word();
        if (on.word.literal_text() != "on") fail("expected on");
        SourceRange start = name ? name->range : on.range;
        ast::InterfaceDecl decl = interface_after_on(std::move(name), start, outer);
        return decl;
    }

    ast::InterfaceDecl interface_after_on(std::optional<ast::Word> name, SourceRange start, SourceRange& outer) {
        ast::InterfaceDecl decl;
        decl.name = std::move(name);
        decl.network = expect_word().word;
        decl.range = cover(start, decl.network.range);
        options(decl.options, decl.range);
        outer = cover(outer, decl.range);
        return decl;
    }

    ast::ForDecl loop(const Token& keyword) {
        ast::ForDecl decl;
        const Token variable = expect_word();
        decl.variable = variable.word.literal_text();
        decl.variable_range = variable.range;
        if (expect_word().word.literal_text() != "in") fail("expected in");
        const Token range = expect_word();
        const std::string text = range.word.literal_text();
        const std::size_t dots = text.find("..");
        if (dots == std::string::npos) fail("expected A..B");
        decl.first = std::stoll(text.substr(0, dots));
        decl.last = std::stoll(text.substr(dots + 2));
        decl.range_range = range.range;
        expect(Token::Kind::open);
        decl.range = cover(keyword.range, range.range);
        decl.body = decls(true);
        return decl;
    }

    // Options up to the end of the statement or a block.
    void options(std::vector<ast::Option>& out, SourceRange& outer, bool stop_at_on = false) {
        while (at(Token::Kind::word)) {
            if (stop_at_on && current_.word.literal_text() == "on") return;
            const Token key = expect_word();
            ast::Option option;
            option.key = key.word.literal_text();
            option.key_range = key.range;
            option.range = key.range;
            if (!is_flag(option.key)) {
                const Token value = expect_word();
                option.value = value.word;
                option.range = cover(key.range, value.range);
            }
            outer = cover(outer, option.range);
            out.push_back(std::move(option));
            if (stop_at_on) return;
        }
    }

    void skip_ends() {
        while (at(Token::Kind::end_statement)) advance();
    }
    bool at(Token::Kind kind) const { return current_.kind == kind; }
    void advance() { current_ = lexer_.next(); }
    Token expect_word() {
        if (!at(Token::Kind::word)) fail("expected a word");
        Token t = std::move(current_);
        advance();
        return t;
    }
    void expect(Token::Kind kind) {
        if (!at(kind)) fail("unexpected token");
        advance();
    }
    [[noreturn]] static void fail(const std::string& what) { throw std::runtime_error("mini_parse: " + what); }

    Lexer lexer_;
    Token current_;
};

}  // namespace

ast::File mini_parse(const SourceSet& sources, FileId file) {
    ast::File out;
    out.file = file;
    Parser parser(sources.file(file).text(), file);
    out.decls = parser.decls(false);
    return out;
}

}  // namespace podnetc::test
