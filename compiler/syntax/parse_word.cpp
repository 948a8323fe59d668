#include "compiler/syntax/parse_word.hpp"

#include <tao/pegtl.hpp>

#include "compiler/syntax/pnet_actions.hpp"
#include "compiler/syntax/pnet_builders.hpp"
#include "compiler/syntax/pnet_context.hpp"

namespace podnetc {
namespace {

// Parses text with Rule; false when a syntax error (or a value error such as an
// overflowing number) was reported.
template <typename Rule>
bool parse_value(std::string_view text, pnet::ValueBuilder& value) {
    const std::size_t errors_before = value.ctx.diagnostics().error_count();
    tao::pegtl::memory_input<tao::pegtl::tracking_mode::lazy> in(text.data(), text.size(), "");
    try {
        tao::pegtl::parse<Rule, pnet::action, pnet::control>(in, value);
    } catch (const grammar::statement_abandoned&) {
        return false;
    }
    return value.ctx.diagnostics().error_count() == errors_before;
}

}  // namespace

std::optional<ast::Word> parse_word_text(std::string_view text, SourceRange origin,
                                         Diagnostics& diagnostics) {
    ParseContext context(text, origin, diagnostics);
    pnet::ValueBuilder value{context, {}, {}};
    if (!parse_value<grammar::standalone_word>(text, value)) return std::nullopt;
    return std::move(value.word);
}

bool check_loop_variable_text(std::string_view text, SourceRange origin, Diagnostics& diagnostics) {
    ParseContext context(text, origin, diagnostics);
    pnet::ValueBuilder value{context, {}, {}};
    return parse_value<grammar::standalone_variable>(text, value);
}

std::optional<ParsedRange> parse_range_text(std::string_view text, SourceRange origin,
                                            Diagnostics& diagnostics) {
    ParseContext context(text, origin, diagnostics);
    pnet::ValueBuilder value{context, {}, {}};
    if (!parse_value<grammar::standalone_range>(text, value)) return std::nullopt;
    return ParsedRange{value.loop.first, value.loop.last, value.loop.range};
}

}  // namespace podnetc
