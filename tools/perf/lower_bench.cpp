// Micro benchmark of lowering: 100,000 routed pods, once as one `for` loop and
// once as 100,000 literal pod declarations. Builds the AST directly, so it needs
// no parser. Usage: podnetc_lower_bench [PODS] [RUNS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <ctime>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/lower/lower.hpp"

namespace {

using namespace podnetc;

// Fake, increasing source ranges: lowering only stores and compares them.
class Ranges {
public:
    SourceRange next(std::uint32_t length) {
        const SourceRange range{1, offset_, length};
        offset_ += length + 1;
        return range;
    }

private:
    std::uint32_t offset_ = 0;
};

ast::Option option(Ranges& ranges, std::string key, std::optional<ast::Word> value) {
    ast::Option o;
    o.key = std::move(key);
    o.key_range = ranges.next(static_cast<std::uint32_t>(o.key.size()));
    o.value = std::move(value);
    o.range = o.key_range;
    return o;
}

ast::Word word(Ranges& ranges, std::string text) {
    const auto length = static_cast<std::uint32_t>(text.size());
    return ast::literal_word(std::move(text), ranges.next(length));
}

ast::Decl network(Ranges& ranges) {
    ast::NetworkDecl n;
    n.name = word(ranges, "pods");
    n.options.push_back(option(ranges, "mode", word(ranges, "route")));
    n.options.push_back(option(ranges, "subnet", word(ranges, "10.0.0.0/8")));
    n.range = n.name.range;
    return ast::Decl{std::move(n)};
}

ast::PodDecl pod(Ranges& ranges, ast::Word name, ast::Word address) {
    ast::PodDecl p;
    p.name = std::move(name);
    ast::InterfaceDecl i;
    i.network = word(ranges, "pods");
    i.options.push_back(option(ranges, "address", std::move(address)));
    i.range = i.network.range;
    p.interfaces.push_back(std::move(i));
    p.range = p.name.range;
    return p;
}

ast::Expr number(std::int64_t value) {
    ast::Expr e;
    e.number = value;
    return e;
}

ast::Expr variable() {
    ast::Expr e;
    e.kind = ast::Expr::Kind::variable;
    e.variable = "i";
    return e;
}

ast::Expr binary(ast::Expr::Kind kind, ast::Expr a, ast::Expr b) {
    ast::Expr e;
    e.kind = kind;
    e.operands.push_back(std::move(a));
    e.operands.push_back(std::move(b));
    return e;
}

ast::WordPart literal(std::string text) { return ast::WordPart{std::move(text), std::nullopt, 0, {}}; }
ast::WordPart interpolation(ast::Expr e) { return ast::WordPart{{}, std::move(e), 0, {}}; }

// pod pod-{i} on pods address 10.{i / 65536}.{i / 256 % 256}.{i % 256}
ast::File loop_file(std::int64_t pods) {
    Ranges ranges;
    ast::File file;
    file.file = 1;
    file.decls.push_back(network(ranges));
    ast::Word name;
    name.parts = {literal("pod-"), interpolation(variable())};
    name.range = ranges.next(8);
    using K = ast::Expr::Kind;
    ast::Word address;
    address.parts = {literal("10."),
                     interpolation(binary(K::div, variable(), number(65536))),
                     literal("."),
                     interpolation(binary(K::mod, binary(K::div, variable(), number(256)), number(256))),
                     literal("."),
                     interpolation(binary(K::mod, variable(), number(256)))};
    address.range = ranges.next(40);
    ast::ForDecl loop;
    loop.variable = "i";
    loop.first = 1;
    loop.last = pods;
    loop.body.push_back(ast::Decl{pod(ranges, std::move(name), std::move(address))});
    file.decls.push_back(ast::Decl{std::move(loop)});
    return file;
}

ast::File literal_file(std::int64_t pods) {
    Ranges ranges;
    ast::File file;
    file.file = 1;
    file.decls.reserve(static_cast<std::size_t>(pods) + 1);
    file.decls.push_back(network(ranges));
    for (std::int64_t i = 1; i <= pods; ++i) {
        ast::Word name = word(ranges, fmt::format("pod-{}", i));
        ast::Word address = word(ranges, fmt::format("10.{}.{}.{}", i / 65536, i / 256 % 256, i % 256));
        file.decls.push_back(ast::Decl{pod(ranges, std::move(name), std::move(address))});
    }
    return file;
}

// CPU time of this thread: on a shared machine, wall time mostly measures the
// neighbours.
double cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double measure(const char* label, const ast::File& file, int runs) {
    std::vector<double> times;
    std::vector<double> walls;
    std::size_t objects = 0;
    for (int run = 0; run < runs; ++run) {
        Diagnostics diagnostics;
        const auto wall_start = std::chrono::steady_clock::now();
        const double start = cpu_ms();
        const auto ir = lower(file, LowerOptions{}, diagnostics);
        const double stop = cpu_ms();
        walls.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall_start).count());
        if (!ir) {
            fmt::print(stderr, "{}: lowering failed with {} errors\n", label, diagnostics.error_count());
            return -1;
        }
        objects = ir->namespaces.size() + ir->links.size() + ir->addresses.size() + ir->routes.size() +
                  ir->neighbors.size();
        times.push_back(stop - start);
    }
    std::sort(times.begin(), times.end());
    std::sort(walls.begin(), walls.end());
    fmt::print("{:<8} {} kernel objects: CPU min {:.1f} ms, median {:.1f} ms; wall min {:.1f} ms ({} runs)\n", label,
               objects, times.front(), times[times.size() / 2], walls.front(), runs);
    return times.front();
}

}  // namespace

int main(int argc, char** argv) {
    const std::int64_t pods = argc > 1 ? std::atoll(argv[1]) : 100'000;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
    if (pods < 1 || pods > 16'000'000 || runs < 1) {
        fmt::print(stderr, "usage: podnetc_lower_bench [PODS (1..16000000)] [RUNS]\n");
        return 64;
    }
    fmt::print("lowering {} routed pods\n", pods);
    const bool ok = measure("for", loop_file(pods), runs) >= 0 && measure("literal", literal_file(pods), runs) >= 0;
    return ok ? 0 : 1;
}
