#include "runtime/agent/agent_log.hpp"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

#include "compiler/json/json_writer.hpp"

namespace podnetc::agent {
namespace {

std::string_view level_name(LogLevel level) {
    switch (level) {
    case LogLevel::info: return "info";
    case LogLevel::warning: return "warning";
    case LogLevel::error: return "error";
    }
    return "info";
}

// sd-daemon(3) priorities: 6 info, 4 warning, 3 error.
char journal_priority(LogLevel level) {
    switch (level) {
    case LogLevel::info: return '6';
    case LogLevel::warning: return '4';
    case LogLevel::error: return '3';
    }
    return '6';
}

}  // namespace

std::string utc_time_text(std::chrono::system_clock::time_point now) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                       utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
}

namespace {

void append_field(JsonWriter& json, const LogField& field) {
    json.key(field.key);
    if (const auto* text = std::get_if<std::string_view>(&field.value)) {
        json.value(replace_ill_formed_utf8(*text));
    } else {
        json.value(std::get<std::int64_t>(field.value));
    }
}

std::string text_entry(const LogEntry& entry, bool journal_priorities) {
    std::string line;
    if (journal_priorities) line += fmt::format("<{}>", journal_priority(entry.level));
    // A problem's message says itself what it is ("route.pnet:7:1: error: …").
    if (entry.level != LogLevel::info && entry.event != "problem") line += fmt::format("{}: ", level_name(entry.level));
    line += entry.message;
    if (!entry.detail.empty()) {
        line += '\n';
        line += entry.detail;
        if (line.back() == '\n') line.pop_back();
    }
    return line;
}

}  // namespace

std::string format_entry(LogFormat format, const LogEntry& entry, std::initializer_list<LogField> fields,
                         std::string_view time, bool journal_priorities) {
    if (format == LogFormat::text) return text_entry(entry, journal_priorities);
    std::string line;
    JsonWriter json(line);
    json.begin_object(JsonWriter::Layout::line);
    json.key("time").value(time);
    json.key("level").value(level_name(entry.level));
    json.key("event").value(entry.event);
    json.key("message").value(replace_ill_formed_utf8(entry.message));
    if (!entry.detail.empty()) json.key("detail").value(replace_ill_formed_utf8(entry.detail));
    for (const LogField& field : fields) append_field(json, field);
    json.end_object();
    return line;
}

Log::Log(LogFormat format, std::FILE* out, bool journal_priorities)
    : format_(format), out_(out), journal_priorities_(journal_priorities) {}

void Log::write(const LogEntry& entry, std::initializer_list<LogField> fields) {
    std::string line = format_entry(format_, entry, fields, utc_time_text(std::chrono::system_clock::now()), journal_priorities_);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fflush(out_);
}

}  // namespace podnetc::agent
