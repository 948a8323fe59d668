// The TOML twin: the same AST as .pnet (modulo ranges), ranges that point into the
// TOML text, and errors for everything structurally wrong.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "compiler/syntax/ast.hpp"
#include "tests/unit/syntax/ast_dump.hpp"
#include "tests/unit/syntax/parse_fixture.hpp"

using podnetc::test::dump;
using podnetc::test::Parsed;
using podnetc::test::clean_shape;
using podnetc::test::decl_as;
namespace ast = podnetc::ast;

namespace {

std::string shape(const std::string& toml) {
    return clean_shape(toml, "test.toml");
}

std::string errors_of(const std::string& toml) { return Parsed(toml, "test.toml").errors(); }

std::string read(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return std::move(text).str();
}

// Not derived from __FILE__: a compiler cache (ccache base_dir) makes it relative.
std::filesystem::path examples_dir() { return std::filesystem::path(PODNETC_SOURCE_DIR) / "examples"; }

}  // namespace

TEST_CASE("every TOML twin in examples/ parses to the AST of its .pnet", "[parse_toml]") {
    int twins = 0;
    for (const auto& entry : std::filesystem::directory_iterator(examples_dir())) {
        if (entry.path().extension() != ".toml") continue;
        std::filesystem::path pnet = entry.path();
        pnet.replace_extension(".pnet");
        if (!std::filesystem::exists(pnet)) continue;
        ++twins;
        INFO(entry.path().filename().string());
        Parsed from_toml(read(entry.path()), entry.path().filename().string());
        Parsed from_pnet(read(pnet), pnet.filename().string());
        INFO(from_toml.errors() << from_pnet.errors());
        CHECK_FALSE(from_toml.diagnostics.has_errors());
        CHECK_FALSE(from_pnet.diagnostics.has_errors());
        CHECK_FALSE(from_toml.file.decls.empty());
        CHECK(dump(from_toml.file) == dump(from_pnet.file));
    }
    CHECK(twins >= 3);
}

TEST_CASE("toml: networks, pods and interfaces", "[parse_toml]") {
    CHECK(shape("[[network]]\nname = \"lan\"\nmode = \"bridge\"\nsubnet = \"10.0.0.0/24\"\nmtu = 1450\n"
                "adopt = true\n") ==
          "network lan mode=bridge subnet=10.0.0.0/24 mtu=1450 adopt\n");
    CHECK(shape("[[pod]]\nname = \"db\"\nadopt = true\ninterface = [\n"
                "  { name = \"eth0\", network = \"lan\", address = [\"10.0.0.1\", \"10.0.0.2\"], default-route = true },\n"
                "  { network = \"storage\", address = \"10.1.0.1\", default-route = false, mtu = 9000 },\n]\n") ==
          "pod db adopt\n  interface eth0 on lan address=10.0.0.1 address=10.0.0.2 default-route\n"
          "  interface on storage address=10.1.0.1 mtu=9000\n");
    CHECK(shape("[[pod]]\nname = \"alone\"\n") == "pod alone\n");
    CHECK(shape("") == "");
    // Unknown option keys are lowering's business: passed through.
    CHECK(shape("[[network]]\nname = \"n\"\nmdoe = \"bridge\"\n") == "network n mdoe=bridge\n");
}

TEST_CASE("toml: loops and nodes, with interpolation in strings", "[parse_toml]") {
    CHECK(shape("[[for]]\nvar = \"i\"\nrange = \"1..3\"\n"
                "pod = [{ name = \"pod-{i:02}\", interface = [{ network = \"n\", address = \"10.0.0.{i * 2 + 1}\" }] }]\n"
                "[[for.for]]\nvar = \"j\"\nrange = \"0..1\"\npod = [{ name = \"p{i}-{j}\" }]\n") ==
          "for i in 1..3\n  pod pod-{i:02}\n    interface on n address=10.0.0.{((i * 2) + 1)}\n"
          "  for j in 0..1\n    pod p{i}-{j}\n");
    CHECK(shape("[[network]]\nname = \"shared\"\nmode = \"bridge\"\n"
                "[[node]]\nname = \"w1\"\n[[node.network]]\nname = \"pods\"\n[[node.pod]]\nname = \"a\"\n"
                "[[node]]\nname = \"w2\"\n") ==
          "network shared mode=bridge\nnode w1\n  network pods\n  pod a\nnode w2\n");
}

TEST_CASE("toml: declarations and options keep the file's order", "[parse_toml]") {
    // TOML tables are maps; the AST follows the text, as a .pnet would.
    CHECK(shape("[[pod]]\nname = \"z\"\n[[network]]\nname = \"n\"\n[[pod]]\nname = \"a\"\n"
                "[[for]]\nvar = \"i\"\nrange = \"1..2\"\n[[network]]\nname = \"m\"\n") ==
          "pod z\nnetwork n\npod a\nfor i in 1..2\nnetwork m\n");
    CHECK(shape("[[network]]\nsubnet = \"s\"\nname = \"n\"\nmode = \"m\"\nbridge = \"b\"\n") ==
          "network n subnet=s mode=m bridge=b\n");
}

TEST_CASE("toml: ranges point into the TOML text", "[parse_toml]") {
    Parsed p("[[pod]]\nname = \"web-{i}\"\ninterface = [{ network = \"lan\", mtu = 1450, address = [\"a\", \"b\"] }]\n"
             "[[for]]\nvar = \"idx\"\nrange = \"10..20\"\n",
             "test.toml");
    INFO(p.errors());
    REQUIRE_FALSE(p.diagnostics.has_errors());
    const auto& pod = decl_as<ast::PodDecl>(p.file.decls.at(0));
    CHECK(p.text(pod.name.range) == "web-{i}");
    CHECK(p.at(pod.name.range) == "2:9");
    CHECK(p.text(pod.name.parts.at(1).range) == "{i}");
    CHECK(p.text(pod.name.parts.at(1).expr->range) == "i");
    CHECK(p.text(pod.range) == "[[pod]]");
    const ast::InterfaceDecl& interface = pod.interfaces.at(0);
    CHECK(p.text(interface.range) == "{ network = \"lan\", mtu = 1450, address = [\"a\", \"b\"] }");
    CHECK(p.text(interface.network.range) == "lan");
    CHECK(p.text(interface.options.at(0).key_range) == "mtu");
    CHECK(p.text(interface.options.at(0).value->range) == "1450");
    CHECK(p.text(interface.options.at(0).range) == "mtu = 1450");
    CHECK(p.text(interface.options.at(2).value->range) == "b");
    const auto& loop = decl_as<ast::ForDecl>(p.file.decls.at(1));
    CHECK(p.text(loop.variable_range) == "idx");
    CHECK(p.text(loop.range_range) == "10..20");
    CHECK(loop.first == 10);
    CHECK(loop.last == 20);
}

TEST_CASE("toml: strings written with escapes point at the whole string", "[parse_toml]") {
    Parsed p("[[pod]]\nname = \"p\\u002d{i}\"\n[[pod]]\nname = 'lit-{i}'\n[[pod]]\nname = \"\"\"\nml\"\"\"\n",
             "test.toml");
    INFO(p.errors());
    REQUIRE_FALSE(p.diagnostics.has_errors());
    const auto& escaped = decl_as<ast::PodDecl>(p.file.decls.at(0));
    CHECK(dump(escaped.name) == "p-{i}");
    CHECK(p.text(escaped.name.range) == "\"p\\u002d{i}\"");
    CHECK(p.text(escaped.name.parts.at(1).range) == "\"p\\u002d{i}\"");
    CHECK(p.text(decl_as<ast::PodDecl>(p.file.decls.at(1)).name.range) == "lit-{i}");
    CHECK(p.text(decl_as<ast::PodDecl>(p.file.decls.at(2)).name.range) == "ml");

    CHECK(errors_of("[[pod]]\nname = \"a\\tb\"\n") ==
          "2:8: unexpected character in a name or value (allowed: letters, digits, '_', '-', '.', '/', ':' "
          "and {…} interpolations)\n");
    // Written verbatim, the caret is on the offending character itself.
    CHECK(errors_of("[[pod]]\nname = \"two words\"\n") ==
          "2:12: unexpected character in a name or value (allowed: letters, digits, '_', '-', '.', '/', ':' "
          "and {…} interpolations)\n");
    CHECK(errors_of("[[pod]]\nname = \"\"\n") ==
          "2:9: expected a name or value: letters, digits, '_', '-', '.', '/', ':' and {…} interpolations\n");
}

TEST_CASE("toml: a node's other keys are its options, [cluster]'s keys the cluster line's", "[parse_toml]") {
    CHECK(shape("[cluster]\nbackend = \"host-gw\"\n"
                "[[node]]\nname = \"n\"\nunderlay = \"192.168.0.11\"\ndev = \"eth0\"\nextra = 1\n") ==
          clean_shape("cluster backend host-gw\nnode n underlay 192.168.0.11 dev eth0 extra 1 {\n}\n"));
}

TEST_CASE("toml: structural errors", "[parse_toml]") {
    CHECK(errors_of("topology = 1\n") ==
          "1:1: unknown top-level key 'topology': expected [[network]], [[pod]], [[for]], [[node]] or [cluster]\n");
    CHECK(errors_of("pods = []\n") ==
          "1:1: unknown top-level key 'pods': expected [[network]], [[pod]], [[for]], [[node]] or [cluster] "
          "(did you mean 'pod'?)\n");
    CHECK(errors_of("[pod]\nname = \"p\"\n") ==
          "1:1: 'pod' must be an array of tables ([[pod]] or pod = [{ … }]), not a table\n");
    CHECK(errors_of("pod = [1]\n") == "1:8: each element of 'pod' must be a table, not an integer\n");
    CHECK(errors_of("[[pod]]\nadopt = true\n") == "1:1: this pod has no 'name'\n");
    CHECK(errors_of("[[pod]]\nname = 3\n") == "2:8: 'name' must be a string, not an integer\n");
    CHECK(errors_of("[[pod]]\nname = \"p\"\ninterface = { network = \"n\" }\n") ==
          "3:13: 'interface' must be an array of tables (interface = [{ network = \"…\", … }]), not a table\n");
    CHECK(errors_of("[[pod]]\nname = \"p\"\ninterface = [\"n\"]\n") ==
          "3:14: each interface must be a table, not a string\n");
    CHECK(errors_of("[[pod]]\nname = \"p\"\ninterface = [{ address = \"1\" }]\n") ==
          "3:14: this interface has no 'network'\n");
    CHECK(errors_of("[[network]]\nname = \"n\"\nadopt = \"yes\"\n") == "3:9: 'adopt' is a flag: write adopt = true\n");
    CHECK(errors_of("[[network]]\nname = \"n\"\nadpot = true\n") ==
          "3:9: 'adpot' takes a value, not true or false (did you mean the flag 'adopt'?)\n");
    CHECK(errors_of("[[network]]\nname = \"n\"\nmtu = 1.5\n") ==
          "3:7: 'mtu' must be a string or an integer, not a float\n");
    CHECK(errors_of("[[network]]\nname = \"n\"\naddress = [[\"a\"]]\n") ==
          "3:12: 'address' must be a string or an integer, not an array\n");
    CHECK(errors_of("[[for]]\nvar = \"1i\"\nrange = \"1-3\"\n") ==
          "2:8: expected a loop variable name: letters, digits and '_', not starting with a digit\n"
          "3:11: expected '..' in a range like 1..110\n");
    CHECK(errors_of("[[for]]\nrange = \"1..2\"\n") == "1:1: this [[for]] has no 'var'\n");
    CHECK(errors_of("[[for]]\nvar = \"i\"\nrange = \"1..2\"\nnode = []\n") ==
          "4:1: a [[node]] table must be at the top level of the file\n");
    CHECK(errors_of("[[for]]\nvar = \"i\"\nrange = \"1..2\"\npods = []\n") ==
          "4:1: unknown key 'pods' in a [[for]] table (did you mean 'pod'?)\n");
    CHECK(errors_of("[cluster]\nbackend = true\n") == "2:11: 'backend' takes a value, not true or false\n");
    CHECK(errors_of("cluster = 1\n") == "1:11: 'cluster' must be a table ([cluster]), not an integer\n");
    CHECK(errors_of("[[pod]]\nname = \"p-{i +}\"\n") == "2:15: expected a number, a variable or '(' after '+'\n");
}

TEST_CASE("toml: a broken table leaves out only itself", "[parse_toml]") {
    Parsed p("[[network]]\nname = \"n\"\n"
             "[[pod]]\nname = \"ok\"\n"
             "[[pod]]\nname = \"bad\"\nmtu = 1.5\n"
             "[[for]]\nvar = \"i\"\nrange = \"1..2\"\n"
             "pod = [{ name = \"p{i}\" }, { name = \"q{\" }]\n",
             "test.toml");
    CHECK(p.diagnostics.error_count() == 2);
    CHECK(dump(p.file) == "network n\npod ok\nfor i in 1..2\n  pod p{i}\n");
}

TEST_CASE("toml: syntax errors from TOML++ at the right line and column", "[parse_toml]") {
    CHECK(errors_of("[[pod]]\nname = \n") == "2:8: invalid TOML: expected value, saw '\\n' (in a key-value pair)\n");
    // TOML++ counts columns in code points; the diagnostic is in bytes.
    CHECK(errors_of("# ü\nx = \"ü\n") ==
          "2:8: invalid TOML: unescaped control characters other than TAB (U+0009) are explicitly "
          "prohibited (in a string)\n");
}
