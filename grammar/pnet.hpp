// The .pnet language, part 2: declarations, blocks and the file
// (docs/LANGUAGE.md). Rules only; the parser's actions (compiler/syntax/pnet_actions.hpp)
// build the AST and pnet_errors.hpp says what each failed rule expected.
//
// Shape of every statement: a keyword, then tokens separated by blanks, each
// required token behind must<>, then an optional block, then a check (at<>, not
// consuming) that the statement ends here: newline, ';', '}' or end of file.
// Blocks hold statements, each wrapped in recoverable<> (pnet_recovery.hpp).
#pragma once

#include <tao/pegtl.hpp>

#include "grammar/pnet_lexical.hpp"
#include "grammar/pnet_recovery.hpp"

namespace podnetc::grammar {

// ---- blocks -----------------------------------------------------------------------

struct block_open : one<'{'> {};
struct block_close : one<'}'> {};
struct unclosed_block : eof {};  // reported at the block's '{'

template <typename Statement>
struct block : seq<block_open, gap,
                   star<not_at<one<'}'>>, not_at<eof>, recoverable<Statement>, gap>,
                   sor<block_close, unclosed_block>> {};

struct end_after_block : at<statement_end> {};

// ---- network NAME option… [{ option… }] ---------------------------------------------

struct network_name : name_or_value {};
struct expected_option {};
struct option_line_end : at<statement_end> {};
struct network_option_line
    : seq<sor<option, raise<expected_option>>, star<sp, option>, must<option_line_end>> {};
struct network_block : block<network_option_line> {};
struct network_end : at<statement_end> {};
struct network_decl
    : seq<kw_network, sp, must<network_name>, star<sp, option>,
          sor<seq<sp, network_block, must<end_after_block>>, must<network_end>>> {};

// ---- pod NAME [option…] [on NETWORK option…] [{ interface… }] ----------------------

struct pod_name : name_or_value {};
struct network_ref : name_or_value {};
struct interface_name : name_or_value {};

// `on NETWORK option…` on the pod's header line: the pod's first interface.
struct header_interface : seq<kw_on, sp, must<network_ref>, star<sp, option>> {};

// `[IFNAME] on NETWORK option…` in a pod's block. A first word `on` is the keyword
// unless another `on` follows it (an interface named "on").
struct on_after_interface_name : kw_on {};
struct expected_interface {};
struct interface_end : at<statement_end> {};
struct interface_line
    : seq<sor<seq<not_at<kw_on, not_at<sp, kw_on>>, interface_name, sp,
                  must<on_after_interface_name>>,
              kw_on, raise<expected_interface>>,
          sp, must<network_ref>, star<sp, option>, must<interface_end>> {};
struct pod_block : block<interface_line> {};

struct pod_option : seq<not_at<kw_on>, option> {};
struct pod_end : at<statement_end> {};
struct pod_decl
    : seq<kw_pod, sp, must<pod_name>, star<sp, pod_option>, opt<sp, header_interface>,
          sor<seq<sp, pod_block, must<end_after_block>>, must<pod_end>>> {};

// ---- for VAR in FIRST..LAST { declaration… } ----------------------------------------

struct loop_variable : seq<identifier_start, star<identifier_char>, word_boundary> {};
struct range_first : number {};
struct range_dots : TAO_PEGTL_STRING("..") {};
struct range_last : number {};
struct loop_range : seq<range_first, must<range_dots>, must<range_last>> {};

struct nested_statement;
struct for_body : block<nested_statement> {};
struct for_rest : seq<sp, must<loop_variable>, sp, must<kw_in>, sp, must<loop_range>, sp,
                      must<for_body>, must<end_after_block>> {};
struct for_decl : seq<kw_for, nested<for_rest>> {};

// ---- node NAME [option…] { declaration… } ------------------------------------------

struct node_name : name_or_value {};
struct node_body : block<nested_statement> {};
struct node_decl
    : seq<kw_node, sp, must<node_name>, star<sp, option>, sp, must<node_body>, must<end_after_block>> {};

// ---- cluster option… (top level: how pods reach the pods of other nodes) -------------

struct expected_cluster_option {};
struct cluster_end : at<statement_end> {};
struct cluster_decl
    : seq<kw_cluster, sor<seq<sp, option>, raise<expected_cluster_option>>, star<sp, option>,
          must<cluster_end>> {};

// ---- statements and the file ------------------------------------------------------

struct unexpected_block {};
struct expected_declaration {};
struct expected_nested_declaration {};
struct node_not_at_top_level {};
struct cluster_not_at_top_level {};

struct top_statement
    : sor<network_decl, pod_decl, for_decl, node_decl, cluster_decl,
          seq<at<one<'{'>>, raise<unexpected_block>>, raise<expected_declaration>> {};

// In a `for` or `node` body: node blocks do not nest and do not repeat.
struct nested_statement
    : sor<network_decl, pod_decl, for_decl, seq<at<kw_node>, raise<node_not_at_top_level>>,
          seq<at<kw_cluster>, raise<cluster_not_at_top_level>>,
          seq<at<one<'{'>>, raise<unexpected_block>>, raise<expected_nested_declaration>> {};

struct stray_close : one<'}'> {};  // reported by its action; no block is open

struct file
    : seq<gap, star<not_at<eof>, sor<stray_close, recoverable<top_statement>>, gap>, eof> {};

// ---- single values, for the TOML front end ----------------------------------------

// A TOML string that holds a .pnet word ("pod-{i}").
struct value_word : word {};
struct value_word_end : eof {};
struct standalone_word : seq<must<value_word>, must<value_word_end>> {};

// A [[for]] table's `var` and `range` strings.
struct standalone_variable_name : loop_variable {};
struct standalone_variable : seq<must<standalone_variable_name>, must<value_word_end>> {};
struct standalone_range_text : loop_range {};
struct standalone_range : seq<must<standalone_range_text>, must<value_word_end>> {};

}  // namespace podnetc::grammar
