#include "tools/podnetc/topology.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <unistd.h>

#include "compiler/syntax/frontend.hpp"
#include "compiler/lower/lower.hpp"
#include "tools/podnetc/terminal.hpp"

namespace podnetc::cli {

std::optional<ast::File> read_topology(const std::string& path, SourceSet& sources,
                                       Diagnostics& diagnostics) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        fmt::print(stderr, "podnetc: error: cannot read '{}': {}\n", path, std::strerror(errno));
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    const FileId id = sources.add(path, std::move(text).str());
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
    Diagnostics diagnostics;
    const auto file = read_topology(path, sources, diagnostics);
    if (!file) return std::nullopt;
    std::optional<ir::NodeIr> node;
    if (!diagnostics.has_errors()) {
        const NodeChoice choice = choose_node(args);
        node = lower(*file, LowerOptions{choice.name, choice.from_hostname}, diagnostics);
    }
    print_diagnostics(sources, diagnostics);
    if (diagnostics.has_errors()) return std::nullopt;
    return node;
}

}  // namespace podnetc::cli
