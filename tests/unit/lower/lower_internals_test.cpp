// Pieces of lowering below the public API: the kernel-identity safety net and
// flags as the TOML front end writes them.
#include <catch2/catch.hpp>

#include "compiler/lower/lower.hpp"
#include "compiler/lower/lower_model.hpp"
#include "compiler/syntax/frontend.hpp"
#include "tests/unit/lower/lower_support.hpp"

using namespace podnetc;

TEST_CASE("two kernel objects with one identity are an error naming both declarations") {
    ir::NodeIr node;
    const SourceRange first{1, 0, 3};
    const SourceRange second{1, 10, 3};
    node.routes.push_back(ir::owned_route("p", ip::Prefix{ip::Address::v4(0x0a000005), 32}, std::nullopt, "eth0", kernel::kScopeLink,
                                    false, std::nullopt, "p", false, first));
    node.routes.push_back(ir::owned_route("p", ip::Prefix{ip::Address::v4(0x0a000005), 32}, std::nullopt, "eth1", kernel::kScopeLink,
                                    false, std::nullopt, "p", false, second));
    node.links.push_back(ir::Link{});
    node.links.back().name = "cbr0";
    node.links.push_back(node.links.back());
    node.links.back().range = second;
    lowering::Contexts contexts;
    lowering::Reporter reporter(contexts);
    lowering::check_kernel_objects(node, reporter);
    Diagnostics diagnostics;
    reporter.flush(diagnostics);
    REQUIRE(diagnostics.error_count() == 2);
    CHECK(diagnostics.all()[0].message == "two interfaces named 'cbr0' in the host namespace");
    CHECK(diagnostics.all()[1].message == "two routes to 10.0.0.5/32 in pod 'p' (dev eth0 and dev eth1)");
    CHECK(diagnostics.all()[1].range == second);
    CHECK(diagnostics.all()[1].notes[0].range == first);
}

TEST_CASE("flags accept the booleans the TOML front end writes") {
    SourceSet sources;
    const FileId id = sources.add("t.pnet", "network n mode bridge subnet 10.0.0.0/24\n"
                                            "pod a adopt on n address 10.0.0.2\n"
                                            "pod b adopt on n address 10.0.0.3\n"
                                            "pod c adopt on n address 10.0.0.4\n");
    Diagnostics parse_diagnostics;
    ast::File file = parse_pnet(sources, id, parse_diagnostics);
    REQUIRE(!parse_diagnostics.has_errors());
    auto& b = std::get<ast::PodDecl>(file.decls[2].node).options[0];
    b.value = ast::literal_word("false", b.key_range);
    auto& c = std::get<ast::PodDecl>(file.decls[3].node).options[0];
    c.value = ast::literal_word("yes", c.key_range);
    Diagnostics diagnostics;
    CHECK(!lower(file, LowerOptions{}, diagnostics));
    REQUIRE(diagnostics.error_count() == 1);
    CHECK(diagnostics.all()[0].message == "option 'adopt' takes no value");
    c.value.reset();
    Diagnostics again;
    const auto ir = lower(file, LowerOptions{}, again);
    REQUIRE(ir);
    CHECK(ir->pods[0].adopt);
    CHECK(!ir->pods[1].adopt);
    CHECK(ir->pods[2].adopt);
}

TEST_CASE("a bridge network without pods still has its bridge") {
    auto lowered = test::lower_text("network idle mode bridge subnet 10.9.0.0/24 gateway 10.9.0.1 mtu 9000\n");
    REQUIRE(lowered.ir);
    CHECK(test::render_kernel(*lowered.ir) ==
          "link host idle bridge mac 02:4f:8f:94:65:b2 mtu 9000 net=idle\n"
          "addr host idle 10.9.0.1/24\n");
    CHECK(lowered.summary() == "1:9 warning: network 'idle' is not used by any pod\n");
}
