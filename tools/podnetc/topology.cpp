#include "tools/podnetc/topology.hpp"

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>
#include <unistd.h>

#include "compiler/base/source_reader.hpp"
#include "compiler/syntax/frontend.hpp"
#include "compiler/lower/compile_file.hpp"

namespace podnetc::cli {

std::optional<ast::File> read_topology(const std::string& path, SourceSet& sources, Diagnostics& diagnostics,
                                       Reporter& reporter) {
    auto text = read_source_text(path);
    if (!text) {
        reporter.error(fmt::format("{}: cannot read the topology: {}", path, text.error()));
        return std::nullopt;
    }
    const FileId id = sources.add(path, std::move(*text));
    return parse_topology(sources, id, diagnostics);
}

NodeChoice choose_node(const Args& args) {
    if (auto node = args.value("--node")) return {*node, false};
    if (const char* env = std::getenv("PODNETC_NODE"); env != nullptr && env[0] != '\0') {
        return {env, false};
    }
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) return {"", true};
    return {host, true};
}

std::optional<ir::NodeIr> compile_topology(const std::string& path, const Args& args, SourceSet& sources,
                                           Reporter& reporter) {
    const NodeChoice choice = choose_node(args);
    CompiledFile compiled = compile_file(path, LowerOptions{choice.name, choice.from_hostname}, sources);
    if (compiled.unreadable) {
        reporter.error(fmt::format("{}: cannot read the topology: {}", path, *compiled.unreadable));
        return std::nullopt;
    }
    reporter.diagnostics(sources, compiled.diagnostics);
    if (compiled.node && compiled.node->node.empty() && args.value("--node")) {
        reporter.warning(fmt::format("--node {}: {} has no node blocks (one file, one node); the option is ignored",
                                     *args.value("--node"), path));
    }
    return std::move(compiled.node);
}

}  // namespace podnetc::cli
