// What the output streams are connected to: colour only on a terminal, and never
// when NO_COLOR is set (https://no-color.org).
#pragma once

#include <cstdio>
#include <string_view>

namespace podnetc::cli {

bool use_color(std::FILE* stream);

// Whether a person can be asked: stdin is a terminal.
bool stdin_is_terminal();
// Asks `question` on stderr and reads one line from stdin: true only for "yes"
// (terraform's rule: a mistyped "y" or an empty line does nothing).
bool confirmed(std::string_view question);

}  // namespace podnetc::cli
