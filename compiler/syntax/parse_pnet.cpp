// The .pnet front end: grammar/pnet.hpp over the file's text, actions build the AST
// (see pnet_actions.hpp for why actions), and every syntax error is reported with
// recovery at the next statement (grammar/pnet_recovery.hpp).
#include <limits>

#include <tao/pegtl.hpp>

#include "compiler/syntax/frontend.hpp"
#include "compiler/syntax/pnet_actions.hpp"
#include "compiler/syntax/pnet_builders.hpp"
#include "compiler/syntax/pnet_context.hpp"

namespace podnetc {

ast::File parse_pnet(const SourceSet& sources, FileId file, Diagnostics& diagnostics) {
    const SourceFile& source = sources.file(file);
    ast::File result;
    result.file = file;
    if (source.text().size() > std::numeric_limits<std::uint32_t>::max()) {
        diagnostics.error(SourceRange{file, 0, 0}, "file too large (at most 4 GiB)");
        return result;
    }

    const std::size_t errors_before = diagnostics.error_count();
    ParseContext context(file, source.text(), diagnostics);
    pnet::FileBuilder builder{context, result.decls, result.clusters};
    tao::pegtl::memory_input<tao::pegtl::tracking_mode::lazy> in(source.text().data(),
                                                                  source.text().size(), source.path());
    tao::pegtl::parse<grammar::file, pnet::action, pnet::control>(in, builder);
    result.broken_networks = context.take_broken_networks();
    result.incomplete = diagnostics.error_count() != errors_before;
    return result;
}

}  // namespace podnetc
