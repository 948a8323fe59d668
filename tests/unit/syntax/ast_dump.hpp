// A compact text form of an AST for tests: one declaration per line, bodies and
// interfaces indented, words as written with every interpolation's expression fully
// parenthesized. Source ranges are left out, so two front ends can be compared.
#pragma once

#include <string>

#include "compiler/syntax/ast.hpp"

namespace podnetc::test {

std::string dump(const ast::File& file);
std::string dump(const ast::Word& word);
std::string dump(const ast::Expr& expr);

}  // namespace podnetc::test
