#include "tools/podnetc/terminal.hpp"

#include <cstdlib>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include <unistd.h>

namespace podnetc::cli {

bool use_color(std::FILE* stream) {
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color != nullptr && no_color[0] != '\0') return false;
    const char* term = std::getenv("TERM");
    if (term != nullptr && std::strcmp(term, "dumb") == 0) return false;
    return isatty(fileno(stream)) != 0;
}

bool stdin_is_terminal() { return isatty(STDIN_FILENO) != 0; }

bool confirmed(std::string_view question) {
    fmt::print(stderr, "{} Only 'yes' will be accepted: ", question);
    std::fflush(stderr);
    std::string answer;
    for (int c = std::getchar(); c != EOF && c != '\n'; c = std::getchar()) answer.push_back(static_cast<char>(c));
    return answer == "yes";
}

}  // namespace podnetc::cli
