#include "compiler/lower/compile_file.hpp"

#include "compiler/base/source_reader.hpp"
#include "compiler/syntax/frontend.hpp"

namespace podnetc {

CompiledFile compile_file(const std::string& path, const LowerOptions& options, SourceSet& sources) {
    CompiledFile compiled;
    auto text = read_source_text(path);
    if (!text) {
        compiled.unreadable = text.error();
        return compiled;
    }
    const FileId id = sources.add(path, std::move(*text));
    const ast::File file = parse_topology(sources, id, compiled.diagnostics);
    compiled.node = lower(file, options, compiled.diagnostics);
    compiled.diagnostics.sort_by_location();
    if (compiled.diagnostics.has_errors()) compiled.node.reset();
    return compiled;
}

}  // namespace podnetc
