// `podnetc show`: the live state as readable text, one namespace after the
// other, one line per object, each marked [owned] (carries podnetc's marker) or
// [foreign]. Objects the kernel makes on its own (prefix routes with proto
// kernel, loopback addresses) are left out unless `all` is set; a closing line
// says how many. IPv6 is never read at all.
#pragma once

#include <string>

#include "compiler/live/live_state.hpp"

namespace podnetc::live {

struct TextOptions {
    bool all = false;    // include kernel-made objects
    bool color = false;  // ANSI colours for the markers
};

std::string to_text(const State& state, const TextOptions& options = {});

// The readable name of a namespace: "host" for "", else its name.
std::string netns_label(const std::string& netns);

}  // namespace podnetc::live
