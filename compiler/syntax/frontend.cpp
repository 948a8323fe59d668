#include "compiler/syntax/frontend.hpp"

namespace podnetc {

ast::File parse_topology(const SourceSet& sources, FileId file, Diagnostics& diagnostics) {
    const std::string& path = sources.file(file).path();
    if (path.size() >= 5 && path.compare(path.size() - 5, 5, ".toml") == 0) {
        return parse_toml(sources, file, diagnostics);
    }
    return parse_pnet(sources, file, diagnostics);
}

}  // namespace podnetc
