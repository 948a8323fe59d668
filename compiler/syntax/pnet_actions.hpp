// PEGTL actions and control that turn grammar/pnet.hpp matches into ast:: nodes.
//
// Why actions and not a parse tree: the grammar is already shaped like the AST,
// so building it directly with one builder state per construct (pnet_builders.hpp)
// is short, allocates only the AST itself, and keeps the 100,000-pod file linear
// and fast. A parse tree would allocate a node per token and then need a second
// walk that re-discovers the same structure.
#pragma once

#include <tao/pegtl.hpp>

#include "compiler/syntax/pnet_builders.hpp"
#include "grammar/pnet.hpp"
#include "grammar/pnet_errors.hpp"

namespace podnetc::pnet {

namespace pegtl = tao::pegtl;
namespace g = grammar;

// On a failed must<> or raise<>: report the rule's message, abandon the statement
// (grammar/pnet_recovery.hpp catches it and skips to the next statement).
template <typename Rule>
struct control : pegtl::normal<Rule> {
    template <typename ParseInput, typename State>
    [[noreturn]] static void raise(const ParseInput& in, State& state) {
        constexpr g::error_message message = g::error_for<Rule>;
        static_assert(!message.text.empty(),
                      "a rule under must<> or raise<> needs a message in grammar/pnet_errors.hpp");
        state.ctx.syntax_error(in.current(), message);
        throw g::statement_abandoned{in.current()};
    }
};

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

// ---- words and expressions ----------------------------------------------------------

// A word in the place Slot: built in its own WordBuilder, then stored by the parent.
template <typename Slot>
struct word_into : pegtl::change_state<WordBuilder> {
    template <typename Input, typename Parent>
    static void success(const Input& in, WordBuilder& word, Parent& parent) {
        parent.set(Slot{}, word.finish(in.current()));
    }
};

template <> struct action<g::network_name> : word_into<g::network_name> {};
template <> struct action<g::pod_name> : word_into<g::pod_name> {};
template <> struct action<g::network_ref> : word_into<g::network_ref> {};
template <> struct action<g::interface_name> : word_into<g::interface_name> {};
template <> struct action<g::node_name> : word_into<g::node_name> {};
template <> struct action<g::option_value_word> : word_into<g::option_value_word> {};
template <> struct action<g::value_word> : word_into<g::value_word> {};

template <>
struct action<g::literal_text> {
    template <typename Input>
    static void apply(const Input& in, WordBuilder& word) {
        word.add_literal(in.begin(), in.end());
    }
};

template <>
struct action<g::number> {
    template <typename Input>
    static void apply(const Input& in, WordBuilder& word) {
        word.push_number(in.begin(), in.end());
    }
};

template <>
struct action<g::variable> {
    template <typename Input>
    static void apply(const Input& in, WordBuilder& word) {
        word.push_variable(in.begin(), in.end());
    }
};

template <ast::Expr::Kind Kind>
struct combine_operands {
    template <typename Input>
    static void apply(const Input& in, WordBuilder& word) {
        word.combine(Kind, in.begin());
    }
};

template <> struct action<g::sum_tail<'+'>> : combine_operands<ast::Expr::Kind::add> {};
template <> struct action<g::sum_tail<'-'>> : combine_operands<ast::Expr::Kind::sub> {};
template <> struct action<g::product_tail<'*'>> : combine_operands<ast::Expr::Kind::mul> {};
template <> struct action<g::product_tail<'/'>> : combine_operands<ast::Expr::Kind::div> {};
template <> struct action<g::product_tail<'%'>> : combine_operands<ast::Expr::Kind::mod> {};

template <>
struct action<g::parenthesized> {
    template <typename Input>
    static void apply(const Input& in, WordBuilder& word) {
        word.parenthesized(in.begin(), in.end());
    }
};

template <>
struct action<g::pad_width> {
    template <typename Input>
    static void apply(const Input& in, WordBuilder& word) {
        word.set_zero_pad(in.begin(), in.end());
    }
};

template <>
struct action<g::interpolation> {
    template <typename Input>
    static void apply(const Input& in, WordBuilder& word) {
        word.add_interpolation(in.begin(), in.end());
    }
};

// ---- options -----------------------------------------------------------------------

template <>
struct action<g::option> : pegtl::change_state<OptionBuilder> {
    template <typename Input, typename Parent>
    static void success(const Input& in, OptionBuilder& option, Parent& parent) {
        parent.add(option.finish(in.current()));
    }
};

struct set_option_key {
    template <typename Input>
    static void apply(const Input& in, OptionBuilder& option) {
        option.set_key(in.begin(), in.end());
    }
};
template <> struct action<g::flag_key> : set_option_key {};
template <> struct action<g::option_key> : set_option_key {};

// ---- declarations ------------------------------------------------------------------

// A construct read into its own Builder and handed to the parent when whole.
template <typename Builder>
struct build : pegtl::change_state<Builder> {
    template <typename Input, typename Parent>
    static void success(const Input& in, Builder& builder, Parent& parent) {
        parent.add(builder.finish(in.current()));
    }
};

template <> struct action<g::network_decl> : build<NetworkBuilder> {};
template <> struct action<g::pod_decl> : build<PodBuilder> {};
template <> struct action<g::header_interface> : build<InterfaceBuilder> {};
template <> struct action<g::interface_line> : build<InterfaceBuilder> {};
template <> struct action<g::for_decl> : build<ForBuilder> {};
template <> struct action<g::node_decl> : build<NodeBuilder> {};
template <> struct action<g::cluster_decl> : build<ClusterBuilder> {};

template <>
struct action<g::network_option_line> : pegtl::change_state<OptionLineBuilder> {
    template <typename Input>
    static void success(const Input&, OptionLineBuilder& line, NetworkBuilder& network) {
        network.add(std::move(line));
    }
};

template <>
struct action<g::loop_variable> {
    template <typename Input>
    static void apply(const Input& in, ForBuilder& loop) {
        loop.set_variable(in.begin(), in.end());
    }
};

template <typename State>
std::int64_t range_number(const char* begin, const char* end, State& state) {
    const auto value = parse_decimal(std::string_view(begin, static_cast<std::size_t>(end - begin)));
    if (!value) state.ctx.error(begin, end, "number too large (at most 9223372036854775807)");
    return value.value_or(0);
}

template <>
struct action<g::range_first> {
    template <typename Input, typename State>
    static void apply(const Input& in, State& state) {
        state.loop.first = range_number(in.begin(), in.end(), state);
    }
};

template <>
struct action<g::range_last> {
    template <typename Input, typename State>
    static void apply(const Input& in, State& state) {
        state.loop.last = range_number(in.begin(), in.end(), state);
    }
};

template <>
struct action<g::loop_range> {
    template <typename Input, typename State>
    static void apply(const Input& in, State& state) {
        state.loop.range = state.ctx.range(in.begin(), in.end());
    }
};
template <> struct action<g::standalone_range_text> : action<g::loop_range> {};

// ---- blocks ------------------------------------------------------------------------

template <>
struct action<g::block_open> {
    template <typename Input>
    static void apply(const Input& in, BlockOwner& owner) {
        owner.block_open = in.begin();
    }
};

template <>
struct action<g::unclosed_block> {
    template <typename Input>
    static void apply(const Input&, BlockOwner& owner) {
        owner.ctx.error(owner.block_open, owner.block_open + 1,
                        "unclosed '{': the file ends before its '}'");
    }
};

template <>
struct action<g::stray_close> {
    template <typename Input>
    static void apply(const Input& in, FileBuilder& file) {
        file.ctx.error(in.begin(), in.end(), "unexpected '}': no block is open here");
    }
};

}  // namespace podnetc::pnet
