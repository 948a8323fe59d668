// Writing JSON text straight into a string, with exactly the layout of
// nlohmann::json::dump(2) (two-space indent, "key": value, [] and {} when empty,
// the same escapes), without building a document first. For the big machine
// outputs: a 500-pod plan is 4 MB of JSON, and building it as a document and
// dumping that took longer than planning.
//
//   JsonWriter w(text);
//   w.begin_object();
//   w.key("format").value("podnetc-plan/1");
//   w.key("ops").begin_array(); … w.end_array();
//   w.end_object();
//
// A container opened with Layout::line is written on one line, as the snapshot
// writes each object of its lists: {"dev": "eth0", "flags": ["permanent"]}.
// Everything inside it is on that line too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podnetc {

// Appends `text` as a JSON string literal, escaped as nlohmann's dump() does; a byte
// that is not part of well-formed UTF-8 is escaped losslessly (json_bytes.hpp).
void append_json_string(std::string& out, std::string_view text);

// `text` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD,
// for text that is only shown (a file path in a plan), so that the JSON it goes
// into stays readable: nlohmann refuses ill-formed UTF-8.
std::string replace_ill_formed_utf8(std::string_view text);

class JsonWriter {
public:
    enum class Layout { block, line };

    explicit JsonWriter(std::string& out) : out_(out) {}

    JsonWriter& begin_object(Layout layout = Layout::block);
    JsonWriter& end_object();
    JsonWriter& begin_array(Layout layout = Layout::block);
    JsonWriter& end_array();
    // Inside an object, before each value.
    JsonWriter& key(std::string_view name);

    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
    JsonWriter& value(bool flag);
    JsonWriter& value(std::uint64_t number);
    JsonWriter& value(std::uint32_t number) { return value(std::uint64_t{number}); }
    JsonWriter& value(std::uint16_t number) { return value(std::uint64_t{number}); }
    JsonWriter& value(std::uint8_t number) { return value(std::uint64_t{number}); }
    JsonWriter& value(std::int64_t number);
    JsonWriter& value(std::int32_t number) { return value(std::int64_t{number}); }
    JsonWriter& null();
    template <class T>
    JsonWriter& value(const std::optional<T>& maybe) {
        return maybe ? value(*maybe) : null();
    }

private:
    struct Level {
        bool first = true;
        bool on_one_line = false;
    };
    void before_value();
    void newline_indent(std::size_t depth);
    void open(char bracket, Layout layout);
    void close(char bracket);

    std::string& out_;
    std::vector<Level> levels_;
    bool after_key_ = false;
};

}  // namespace podnetc
