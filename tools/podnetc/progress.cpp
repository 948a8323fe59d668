#include "tools/podnetc/progress.hpp"

#include <cstdio>

#include <fmt/format.h>
#include <unistd.h>

#include "compiler/base/text_format.hpp"

namespace podnetc::cli {
namespace {

constexpr std::chrono::milliseconds kShowAfter{300};
constexpr std::chrono::milliseconds kRedrawEvery{50};

}  // namespace

ProgressLine::ProgressLine(std::string verb, bool wanted)
    : verb_(std::move(verb)), enabled_(wanted && isatty(fileno(stderr)) != 0), start_(std::chrono::steady_clock::now()) {}

ProgressLine::~ProgressLine() { clear(); }

void ProgressLine::update(std::size_t done, std::size_t total) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - start_ < kShowAfter || (shown_ && now - last_ < kRedrawEvery && done != total)) return;
    last_ = now;
    shown_ = true;
    fmt::print(stderr, "\r\x1b[K{}: {}/{} operations", verb_, group_thousands(done), group_thousands(total));
    std::fflush(stderr);
}

void ProgressLine::clear() {
    if (!shown_) return;
    fmt::print(stderr, "\r\x1b[K");
    std::fflush(stderr);
    shown_ = false;
}

}  // namespace podnetc::cli
