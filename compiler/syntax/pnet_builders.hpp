// Parser states: one builder per construct being read. PEGTL's change_state makes
// a fresh builder when a construct's rule starts and hands it to the enclosing
// builder only when the rule has matched. A statement abandoned after a syntax
// error therefore leaves nothing behind: its builder is simply destroyed.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "compiler/syntax/ast.hpp"
#include "compiler/syntax/pnet_context.hpp"
#include "grammar/pnet.hpp"

namespace podnetc::pnet {

// Every builder starts where its rule starts and shares the parent's context.
struct BuilderBase {
    ParseContext& ctx;
    const char* start;

    template <typename Input, typename Parent>
    BuilderBase(const Input& in, Parent& parent) : ctx(parent.ctx), start(in.current()) {}

    SourceRange range_to(const char* end) const { return ctx.range(start, end); }
};

// Builders of constructs with a block remember its '{' for "unclosed '{'".
struct BlockOwner : BuilderBase {
    using BuilderBase::BuilderBase;
    const char* block_open = nullptr;
};

// A word and, while an interpolation is read, its expression operand stack.
class WordBuilder : public BuilderBase {
public:
    using BuilderBase::BuilderBase;

    void add_literal(const char* begin, const char* end);
    void push_number(const char* begin, const char* end);
    void push_variable(const char* begin, const char* end);
    void combine(ast::Expr::Kind kind, const char* op);
    void parenthesized(const char* begin, const char* end);
    void set_zero_pad(const char* begin, const char* end);
    void add_interpolation(const char* begin, const char* end);
    ast::Word finish(const char* end);

private:
    ast::Word word_;
    std::vector<ast::Expr> operands_;
    int zero_pad_ = 0;
    int operators_ = 0;  // in the current interpolation
};

class OptionBuilder : public BuilderBase {
public:
    using BuilderBase::BuilderBase;
    void set_key(const char* begin, const char* end);
    void set(grammar::option_value_word, ast::Word value) { option_.value = std::move(value); }
    ast::Option finish(const char* end);

private:
    ast::Option option_;
};

// The options of one line in a network's block, kept only if the line is whole.
struct OptionLineBuilder : BuilderBase {
    using BuilderBase::BuilderBase;
    std::vector<ast::Option> options;
    void add(ast::Option option) { options.push_back(std::move(option)); }
};

// A network abandoned after its name was read tells the context (the statement
// had a syntax error), so that pods on it are not reported as on an unknown network.
struct NetworkBuilder : BlockOwner {
    using BlockOwner::BlockOwner;
    NetworkBuilder(const NetworkBuilder&) = delete;
    NetworkBuilder& operator=(const NetworkBuilder&) = delete;
    ~NetworkBuilder();
    ast::NetworkDecl decl;
    bool finished = false;
    void set(grammar::network_name, ast::Word name) { decl.name = std::move(name); }
    void add(ast::Option option) { decl.options.push_back(std::move(option)); }
    void add(OptionLineBuilder&& line);
    ast::Decl finish(const char* end);
};

struct InterfaceBuilder : BuilderBase {
    using BuilderBase::BuilderBase;
    ast::InterfaceDecl decl;
    void set(grammar::interface_name, ast::Word name) { decl.name = std::move(name); }
    void set(grammar::network_ref, ast::Word network) { decl.network = std::move(network); }
    void add(ast::Option option) { decl.options.push_back(std::move(option)); }
    ast::InterfaceDecl finish(const char* end);
};

struct PodBuilder : BlockOwner {
    using BlockOwner::BlockOwner;
    ast::PodDecl decl;
    void set(grammar::pod_name, ast::Word name) { decl.name = std::move(name); }
    void add(ast::Option option) { decl.options.push_back(std::move(option)); }
    void add(ast::InterfaceDecl interface) { decl.interfaces.push_back(std::move(interface)); }
    ast::Decl finish(const char* end);
};

// FIRST..LAST: filled by the range actions, for `for` headers and TOML `range`.
struct LoopRange {
    std::int64_t first = 0;
    std::int64_t last = 0;
    SourceRange range;
};

struct ForBuilder : BlockOwner {
    using BlockOwner::BlockOwner;
    ast::ForDecl decl;
    LoopRange loop;
    void set_variable(const char* begin, const char* end);
    void add(ast::Decl decl_in_body) { decl.body.push_back(std::move(decl_in_body)); }
    ast::Decl finish(const char* end);
};

struct NodeBuilder : BlockOwner {
    using BlockOwner::BlockOwner;
    ast::NodeDecl decl;
    void set(grammar::node_name, ast::Word name) { decl.name = std::move(name); }
    void add(ast::Option option) { decl.options.push_back(std::move(option)); }
    void add(ast::Decl decl_in_body) { decl.body.push_back(std::move(decl_in_body)); }
    ast::Decl finish(const char* end);
};

struct ClusterBuilder : BuilderBase {
    using BuilderBase::BuilderBase;
    ast::ClusterDecl decl;
    void add(ast::Option option) { decl.options.push_back(std::move(option)); }
    ast::ClusterDecl finish(const char* end);
};

// The top level of a file.
struct FileBuilder {
    ParseContext& ctx;
    std::vector<ast::Decl>& decls;
    std::vector<ast::ClusterDecl>& clusters;
    void add(ast::Decl decl) { decls.push_back(std::move(decl)); }
    void add(ast::ClusterDecl cluster) { clusters.push_back(std::move(cluster)); }
};

// Single values parsed for the TOML front end.
struct ValueBuilder {
    ParseContext& ctx;
    std::optional<ast::Word> word;
    LoopRange loop;
    void set(grammar::value_word, ast::Word value) { word = std::move(value); }
};

}  // namespace podnetc::pnet
