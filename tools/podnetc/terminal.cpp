#include "tools/podnetc/terminal.hpp"

#include <cstdlib>
#include <cstring>

#include <unistd.h>

namespace podnetc::cli {

bool use_color(std::FILE* stream) {
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color != nullptr && no_color[0] != '\0') return false;
    const char* term = std::getenv("TERM");
    if (term != nullptr && std::strcmp(term, "dumb") == 0) return false;
    return isatty(fileno(stream)) != 0;
}

}  // namespace podnetc::cli
