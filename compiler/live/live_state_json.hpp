// The live-state snapshot: what `podnetc show --json` writes and `plan
// --state-from` reads (docs/JSON.md, "Live state snapshot"). Deterministic (the
// state is put in canonical order first), readable (names, dotted addresses, flag
// names), versioned ("format": "podnetc-state/1") and hand-editable: every field
// that has a default may be left out, and ifindexes are optional.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "compiler/base/expected.hpp"
#include "compiler/json/json_writer.hpp"
#include "compiler/live/live_state.hpp"

namespace podnetc::live {

inline constexpr std::string_view kStateFormat = "podnetc-state/1";

// The snapshot text, ending in a newline.
std::string to_json(const State& state);
// The snapshot as one value of a larger document (the journal's "before").
void write_json(JsonWriter& writer, const State& state);

// The state a snapshot describes, in canonical order; or an error message that
// names the offending field ("namespaces[1].links[0].mac: …").
Expected<State, std::string> from_json(std::string_view text);
// The same from a document already parsed (a journal's "before").
Expected<State, std::string> from_document(const nlohmann::json& document);

}  // namespace podnetc::live
