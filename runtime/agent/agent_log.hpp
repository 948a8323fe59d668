// The agent's log on stderr, one entry per event, as text for people or as JSON
// lines for a log pipeline (`--log-format json`). Text under systemd (JOURNAL_STREAM
// set) carries the syslog priority prefix "<3>" that journald turns into the entry's
// priority. JSON entries are one object per line; strings that are not UTF-8
// (interface names, paths) have the bad bytes replaced, so every line parses.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace podnetc::agent {

enum class LogFormat { text, json };
enum class LogLevel { info, warning, error };

struct LogField {
    std::string_view key;
    std::variant<std::string_view, std::int64_t> value;  // durations in milliseconds
};

struct LogEntry {
    LogLevel level = LogLevel::info;
    std::string_view event;    // a stable word for machines: "applied", "compile_error", …
    std::string_view message;  // one line for people
    std::string_view detail;   // more lines (a diagnostic's source line and caret), may be empty
};

class Log {
public:
    Log(LogFormat format, std::FILE* out, bool journal_priorities);
    void write(const LogEntry& entry, std::initializer_list<LogField> fields = {});
    void info(std::string_view event, std::string_view message, std::initializer_list<LogField> fields = {}) {
        write(LogEntry{LogLevel::info, event, message, {}}, fields);
    }

private:
    LogFormat format_;
    std::FILE* out_;
    bool journal_priorities_;
};

// "2026-12-03T12:00:00.123Z".
std::string utc_time_text(std::chrono::system_clock::time_point time);

// The one line of a log entry, without the trailing newline: for tests, and for write().
std::string format_entry(LogFormat format, const LogEntry& entry, std::initializer_list<LogField> fields,
                         std::string_view time, bool journal_priorities);

}  // namespace podnetc::agent
