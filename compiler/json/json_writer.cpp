#include "compiler/json/json_writer.hpp"

#include <fmt/format.h>

namespace podnetc {

void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    for (const char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
            } else {
                out += c;  // UTF-8 passes through, as nlohmann writes it
            }
        }
    }
    out += '"';
}

void JsonWriter::newline_indent(std::size_t depth) {
    out_ += '\n';
    out_.append(2 * depth, ' ');
}

// A value in an array starts on its own line; after a key it follows the key.
void JsonWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (levels_.empty()) return;
    Level& level = levels_.back();
    if (!level.first) out_ += level.on_one_line ? ", " : ",";
    level.first = false;
    if (!level.on_one_line) newline_indent(levels_.size());
}

void JsonWriter::open(char bracket, Layout layout) {
    before_value();
    out_ += bracket;
    const bool inside_line = !levels_.empty() && levels_.back().on_one_line;
    levels_.push_back(Level{true, inside_line || layout == Layout::line});
}

void JsonWriter::close(char bracket) {
    const Level level = levels_.back();
    levels_.pop_back();
    if (!level.first && !level.on_one_line) newline_indent(levels_.size());
    out_ += bracket;
}

JsonWriter& JsonWriter::begin_object(Layout layout) {
    open('{', layout);
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    close('}');
    return *this;
}

JsonWriter& JsonWriter::begin_array(Layout layout) {
    open('[', layout);
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    close(']');
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    before_value();
    append_json_string(out_, name);
    out_ += ": ";
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
    before_value();
    append_json_string(out_, text);
    return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
    before_value();
    out_ += flag ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::value(std::uint64_t number) {
    before_value();
    fmt::format_to(std::back_inserter(out_), "{}", number);
    return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number) {
    before_value();
    fmt::format_to(std::back_inserter(out_), "{}", number);
    return *this;
}

JsonWriter& JsonWriter::null() {
    before_value();
    out_ += "null";
    return *this;
}

}  // namespace podnetc
