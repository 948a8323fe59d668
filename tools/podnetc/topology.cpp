#include "tools/podnetc/topology.hpp"

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>
#include <unistd.h>

#include "compiler/base/source_reader.hpp"
#include "compiler/syntax/frontend.hpp"
#include "compiler/lower/compile_file.hpp"
#include "tools/podnetc/terminal.hpp"

namespace podnetc::cli {

std::optional<ast::File> read_topology(const std::string& path, SourceSet& sources,
                                       Diagnostics& diagnostics) {
    auto text = read_source_text(path);
    if (!text) {
        fmt::print(stderr, "{}: error: cannot read the topology: {}\n", path, text.error());
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

void print_diagnostics(const SourceSet& sources, Diagnostics& diagnostics) {
    if (diagnostics.empty()) return;
    diagnostics.sort_by_location();
    const std::string text = render_all(sources, diagnostics, RenderOptions{use_color(stderr)});
    std::fwrite(text.data(), 1, text.size(), stderr);
}

std::optional<ir::NodeIr> compile_topology(const std::string& path, const Args& args,
                                           SourceSet& sources) {
    const NodeChoice choice = choose_node(args);
    CompiledFile compiled = compile_file(path, LowerOptions{choice.name, choice.from_hostname}, sources);
    if (compiled.unreadable) {
        fmt::print(stderr, "{}: error: cannot read the topology: {}\n", path, *compiled.unreadable);
        return std::nullopt;
    }
    print_diagnostics(sources, compiled.diagnostics);
    if (compiled.node && compiled.node->node.empty() && args.value("--node")) {
        fmt::print(stderr, "podnetc: warning: --node {}: {} has no node blocks (one file, one node); the option is "
                           "ignored\n",
                   *args.value("--node"), path);
    }
    return std::move(compiled.node);
}

}  // namespace podnetc::cli
