// What the output streams are connected to: colour only on a terminal, and never
// when NO_COLOR is set (https://no-color.org).
#pragma once

#include <cstdio>

namespace podnetc::cli {

bool use_color(std::FILE* stream);

}  // namespace podnetc::cli
