#include "compiler/syntax/ast.hpp"

namespace podnetc::ast {

Word literal_word(std::string text, SourceRange range) {
    Word word;
    word.parts.push_back(WordPart{std::move(text), std::nullopt, 0, range});
    word.range = range;
    return word;
}

}  // namespace podnetc::ast
