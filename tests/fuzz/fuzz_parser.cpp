// libFuzzer target: any bytes, as a .pnet file, as a TOML file and as a single
// TOML string value, must parse without crashing, leaking or hanging, and every
// source range in the tree and in the diagnostics must lie inside the input. A file
// that parses is also lowered (first node, loops capped so an input cannot ask for
// millions of pods) and, if it checks, printed by every emitter.
// Built only with -DPODNETC_FUZZ=ON (clang); run it with tools/fuzz.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "compiler/syntax/ast.hpp"
#include "compiler/base/diagnostics.hpp"
#include "compiler/emit/emit.hpp"
#include "compiler/syntax/frontend.hpp"
#include "compiler/lower/lower.hpp"
#include "compiler/syntax/parse_word.hpp"
#include "compiler/base/source.hpp"
#include "grammar/pnet_keywords.hpp"

namespace podnetc {
namespace {

void require(bool condition, const char* what) {
    if (condition) return;
    std::fprintf(stderr, "fuzz_parser: invariant violated: %s\n", what);
    std::abort();
}

class RangeChecker {
public:
    RangeChecker(const SourceSet& sources, FileId file) : sources_(sources), file_(file) {}

    void check(SourceRange range) const {
        require(range.file == file_, "range in the parsed file");
        const std::size_t size = sources_.file(file_).text().size();
        require(range.offset <= size && range.length <= size - range.offset, "range inside the text");
    }

    void check(const ast::Expr& expr) const {
        check(expr.range);
        const bool binary = expr.kind != ast::Expr::Kind::number && expr.kind != ast::Expr::Kind::variable;
        require(expr.operands.size() == (binary ? 2U : 0U), "operand count");
        for (const ast::Expr& operand : expr.operands) check(operand);
    }

    void check(const ast::Word& word) const {
        check(word.range);
        require(!word.parts.empty(), "a word has parts");
        for (const ast::WordPart& part : word.parts) {
            check(part.range);
            if (part.expr) check(*part.expr);
        }
    }

    void check(const std::vector<ast::Option>& options) const {
        for (const ast::Option& option : options) {
            check(option.key_range);
            check(option.range);
            require(option.value.has_value() != grammar::is_flag_option(option.key),
                    "an option has a value exactly when it is not a flag");
            if (option.value) check(*option.value);
        }
    }

    void check(const std::vector<ast::Decl>& decls) const {
        for (const ast::Decl& decl : decls) {
            if (const auto* network = std::get_if<ast::NetworkDecl>(&decl.node)) {
                check(network->range);
                check(network->name);
                check(network->options);
            } else if (const auto* pod = std::get_if<ast::PodDecl>(&decl.node)) {
                check(pod->range);
                check(pod->name);
                check(pod->options);
                for (const ast::InterfaceDecl& interface : pod->interfaces) {
                    check(interface.range);
                    if (interface.name) check(*interface.name);
                    check(interface.network);
                    check(interface.options);
                }
            } else if (const auto* loop = std::get_if<ast::ForDecl>(&decl.node)) {
                check(loop->range);
                check(loop->variable_range);
                check(loop->range_range);
                require(loop->first >= 0 && loop->last >= 0, "non-negative range");
                check(loop->body);
            } else if (const auto* node = std::get_if<ast::NodeDecl>(&decl.node)) {
                check(node->range);
                check(node->name);
                check(node->body);
            }
        }
    }

private:
    const SourceSet& sources_;
    FileId file_;
};

void lower_and_emit(const SourceSet& sources, const ast::File& tree, const RangeChecker& ranges,
                    Diagnostics& diagnostics) {
    const std::vector<std::string> nodes = node_names(tree);
    LowerOptions options;
    options.node = nodes.empty() ? std::string{} : nodes.front();
    options.max_loop_iterations = 2000;
    const auto ir = lower(tree, options, diagnostics);
    for (const Diagnostic& diagnostic : diagnostics.all()) {
        if (diagnostic.range.known()) ranges.check(diagnostic.range);
    }
    require(ir.has_value() != diagnostics.has_errors(), "an IR exactly when lowering found no error");
    if (!ir) return;
    (void)emit_ir_text(*ir);
    (void)emit_ir_json(*ir, sources);
    (void)emit_ip_script(*ir);
    (void)emit_dot(*ir);
}

void parse_as(std::string path, std::string_view bytes) {
    SourceSet sources;
    Diagnostics diagnostics;
    const FileId file = sources.add(std::move(path), std::string(bytes));
    const ast::File tree = parse_topology(sources, file, diagnostics);
    const RangeChecker ranges(sources, file);
    ranges.check(tree.decls);
    for (const Diagnostic& diagnostic : diagnostics.all()) {
        if (diagnostic.range.known()) ranges.check(diagnostic.range);
    }
    // Lowered after syntax errors too, as the commands do (what the parser kept).
    Diagnostics lowering;
    lower_and_emit(sources, tree, ranges, lowering);
    diagnostics.append(lowering);
    diagnostics.sort_by_location();
    (void)render_all(sources, diagnostics);
}

void parse_as_value(std::string_view bytes) {
    SourceSet sources;
    Diagnostics diagnostics;
    const FileId file = sources.add("value.toml", std::string(bytes));
    const auto origin = SourceRange{file, 0, static_cast<std::uint32_t>(bytes.size())};
    if (const auto word = parse_word_text(sources.file(file).text(), origin, diagnostics)) {
        RangeChecker(sources, file).check(*word);
    }
    (void)parse_range_text(sources.file(file).text(), origin, diagnostics);
    (void)render_all(sources, diagnostics);
}

}  // namespace
}  // namespace podnetc

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    podnetc::parse_as("fuzz.pnet", bytes);
    podnetc::parse_as("fuzz.toml", bytes);
    podnetc::parse_as_value(bytes);
    return 0;
}
