// Strings that are not UTF-8 in JSON, losslessly. The kernel accepts any bytes but
// '/' and NUL in an interface name (`ip link add $'v\xff' …`), and a path may be
// any bytes; JSON text must be UTF-8, and nlohmann refuses anything else. podnetc's
// own files (snapshot, plan, journal, applied record) must still read back exactly,
// or a foreign interface with such a name wedges the node (a journal that cannot be
// read blocks recover, apply and destroy).
//
// The encoding: a byte that is not part of well-formed UTF-8 is written as the two
// escapes "\u0000\u00XY". NUL never occurs in a name or a path, so a NUL followed by
// U+0080…U+00FF can only be such a byte; well-formed text is written unchanged.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace podnetc {

// Appends the escapes of the one byte `byte` (≥ 0x80) to a JSON string body.
void append_escaped_byte(std::string& out, unsigned char byte);

// Parses JSON text (throws nlohmann::json::parse_error like nlohmann::json::parse)
// and turns every escaped byte in its strings and keys back into that byte.
nlohmann::json parse_json(std::string_view text);

// The decoding alone, for one string.
std::string unescape_bytes(std::string_view text);

}  // namespace podnetc
