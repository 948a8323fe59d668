#include "runtime/apply/journal.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/json/json_bytes.hpp"
#include "compiler/json/json_writer.hpp"
#include "compiler/live/live_state_json.hpp"
#include "compiler/plan_io/plan_output.hpp"
#include "runtime/state/state_files.hpp"

namespace podnetc::rt {
namespace {

std::string path_in(const std::string& dir, std::string_view name) { return fmt::format("{}/{}", dir, name); }

// "sending FIRST LAST" or "rollback"; anything else (a torn last line) is ignored.
void read_progress(std::string_view text, Journal& journal) {
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        if (end == std::string_view::npos) break;  // never completed: never acted upon
        const std::string_view line = text.substr(0, end);
        text.remove_prefix(end + 1);
        if (line == "rollback") {
            journal.rollback_started = true;
            continue;
        }
        constexpr std::string_view kSending = "sending ";
        if (!line.starts_with(kSending)) continue;
        const std::string_view numbers = line.substr(kSending.size());
        const std::size_t space = numbers.find(' ');
        if (space == std::string_view::npos) continue;
        std::size_t last = 0;
        const std::string_view last_text = numbers.substr(space + 1);
        const auto [at, error] = std::from_chars(last_text.data(), last_text.data() + last_text.size(), last);
        if (error != std::errc{} || at != last_text.data() + last_text.size()) continue;
        journal.sent_end = std::max(journal.sent_end, last);
    }
}

}  // namespace

std::string journal_text(const JournalInfo& info, const live::State& before, const plan::Plan& plan,
                         const SourceSet& sources) {
    std::string text;
    JsonWriter w(text);
    w.begin_object();
    w.key("format").value(kJournalFormat).key("command").value(replace_ill_formed_utf8(info.command)).key("node").value(info.node);
    w.key("pid").value(std::int64_t{info.pid}).key("started").value(info.started);
    live::write_json(w.key("before"), before);
    plan::write_json(w.key("plan"), plan, sources);
    w.end_object();
    text += '\n';
    return text;
}

Result<std::optional<Journal>> read_journal(const std::string& state_dir, SourceSet& sources) {
    const std::string path = path_in(state_dir, kJournalName);
    auto text = read_state_file(path);
    if (!text) return fail(text.error());
    if (!*text) return std::optional<Journal>{};

    Journal journal;
    try {
        const nlohmann::json j = parse_json(**text);
        if (j.at("format").get<std::string>() != kJournalFormat) {
            return fail_plain(EINVAL, fmt::format("{}: not a journal of format {}", path, kJournalFormat));
        }
        journal.info.command = j.at("command").get<std::string>();
        journal.info.node = j.at("node").get<std::string>();
        journal.info.pid = j.at("pid").get<pid_t>();
        journal.info.started = j.at("started").get<std::int64_t>();
        auto before = live::from_document(j.at("before"));
        if (!before) return fail_plain(EINVAL, fmt::format("{}: \"before\": {}", path, before.error()));
        journal.before = std::move(*before);
        std::string error;
        auto plan = plan::from_document(j.at("plan"), sources, error);
        if (!plan) return fail_plain(EINVAL, fmt::format("{}: \"plan\": {}", path, error));
        journal.plan = std::move(*plan);
    } catch (const nlohmann::json::exception& e) {
        return fail_plain(EINVAL, fmt::format("{}: {}", path, e.what()));
    }

    auto progress = read_state_file(path_in(state_dir, kJournalProgressName));
    if (!progress) return fail(progress.error());
    if (*progress) read_progress(**progress, journal);
    journal.sent_end = std::min(journal.sent_end, journal.plan.ops.size());
    return std::optional<Journal>{std::move(journal)};
}

Result<void> remove_journal(const std::string& state_dir) {
    if (auto removed = remove_state_file(path_in(state_dir, kJournalName)); !removed) return removed;
    if (auto removed = remove_state_file(path_in(state_dir, kJournalProgressName)); !removed) return removed;
    return sync_directory(state_dir);
}

Result<void> set_journal_aside(const std::string& state_dir) {
    const std::string from = path_in(state_dir, kJournalName);
    const std::string to = path_in(state_dir, kJournalSetAsideName);
    if (::rename(from.c_str(), to.c_str()) < 0 && errno != ENOENT) {
        return fail(errno, fmt::format("rename {} to {}", from, to));
    }
    if (auto removed = remove_state_file(path_in(state_dir, kJournalProgressName)); !removed) return removed;
    return sync_directory(state_dir);
}

Result<JournalWriter> JournalWriter::begin(const std::string& state_dir, const JournalInfo& info,
                                           const live::State& before, const plan::Plan& plan,
                                           const SourceSet& sources) {
    if (auto made = ensure_directory(state_dir); !made) return fail(made.error());
    const std::string progress_path = path_in(state_dir, kJournalProgressName);
    if (auto removed = remove_state_file(progress_path); !removed) return fail(removed.error());
    if (auto written = write_state_file(path_in(state_dir, kJournalName), journal_text(info, before, plan, sources));
        !written) {
        return fail(written.error());
    }
    UniqueFd progress(::open(progress_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (!progress.valid()) return fail(errno, fmt::format("create {}", progress_path));
    return JournalWriter(state_dir, std::move(progress));
}

Result<void> JournalWriter::append(std::string_view line) {
    // One write() per mark: a mark is either complete or torn at the end, never mixed.
    const ssize_t written = ::write(progress_.get(), line.data(), line.size());
    if (written < 0) return fail(errno, fmt::format("write {}/{}", state_dir_, kJournalProgressName));
    if (static_cast<std::size_t>(written) != line.size()) {
        return fail_plain(EIO, fmt::format("write {}/{}: short write", state_dir_, kJournalProgressName));
    }
    if (::fdatasync(progress_.get()) < 0) return fail(errno, fmt::format("fdatasync {}/{}", state_dir_, kJournalProgressName));
    return {};
}

Result<void> JournalWriter::mark_sending(std::size_t first, std::size_t last) {
    return append(fmt::format("sending {} {}\n", first, last));
}

Result<void> JournalWriter::mark_rollback() { return append("rollback\n"); }

}  // namespace podnetc::rt
