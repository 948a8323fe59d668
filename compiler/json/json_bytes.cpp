#include "compiler/json/json_bytes.hpp"

#include <fmt/format.h>

namespace podnetc {
namespace {

void unescape_document(nlohmann::json& value) {
    if (value.is_string()) {
        auto& text = value.get_ref<std::string&>();
        if (text.find('\0') != std::string::npos) text = unescape_bytes(text);
    } else if (value.is_array()) {
        for (auto& element : value) unescape_document(element);
    } else if (value.is_object()) {
        nlohmann::json rebuilt = nlohmann::json::object();
        for (auto& [key, member] : value.items()) {
            unescape_document(member);
            rebuilt[unescape_bytes(key)] = std::move(member);
        }
        value = std::move(rebuilt);
    }
}

}  // namespace

void append_escaped_byte(std::string& out, unsigned char byte) {
    fmt::format_to(std::back_inserter(out), "\\u0000\\u{:04x}", static_cast<unsigned>(byte));
}

std::string unescape_bytes(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        // NUL, then U+0080…U+00FF as UTF-8: C2 80…BF or C3 80…BF.
        const auto lead = i + 2 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
        const auto tail = i + 2 < text.size() ? static_cast<unsigned char>(text[i + 2]) : 0;
        if (text[i] == '\0' && (lead == 0xC2 || lead == 0xC3) && (tail & 0xC0) == 0x80) {
            out += static_cast<char>(((lead & 0x03) << 6) | (tail & 0x3F));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

nlohmann::json parse_json(std::string_view text) {
    nlohmann::json document = nlohmann::json::parse(text);
    if (text.find("\\u0000") != std::string_view::npos) unescape_document(document);
    return document;
}

}  // namespace podnetc
