#include "runtime/state/node_lock.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <ctime>
#include <thread>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace podnetc::rt {
namespace {

using Wall = std::chrono::system_clock;

constexpr auto kRetryEvery = std::chrono::milliseconds(20);
// How long a waiter gives a new holder to write its record before telling whom it waits for.
constexpr auto kRecordGrace = std::chrono::milliseconds(100);
constexpr std::size_t kMaxCommandBytes = 1000;
constexpr std::size_t kMaxRecordBytes = 4096;

template <class Number>
std::optional<Number> parse_number(std::string_view text) {
    Number value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

// One line, printable: a command line is the holder's to choose.
std::string printable(std::string_view text) {
    std::string out;
    for (char c : text.substr(0, kMaxCommandBytes)) {
        const auto byte = static_cast<unsigned char>(c);
        out += byte == 0 ? ' ' : (byte < 0x20 || byte == 0x7f) ? '?' : c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::optional<std::string> read_small_file(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return std::nullopt;
    std::string text(kMaxRecordBytes, '\0');
    const ssize_t length = ::read(fd.get(), text.data(), text.size());
    if (length < 0) return std::nullopt;
    text.resize(static_cast<std::size_t>(length));
    return text;
}

std::string own_command_line() { return printable(read_small_file("/proc/self/cmdline").value_or("")); }

// State and start time (field 3 and 22 of /proc/PID/stat; the name in field 2 may hold spaces).
struct ProcessStat {
    char state = '?';
    unsigned long long start_ticks = 0;
};

std::optional<ProcessStat> read_process_stat(pid_t pid) {
    const auto text = read_small_file(fmt::format("/proc/{}/stat", pid));
    if (!text) return std::nullopt;
    const auto name_end = text->rfind(')');
    if (name_end == std::string::npos) return std::nullopt;
    std::string_view rest = std::string_view(*text).substr(name_end + 1);
    ProcessStat stat;
    for (int field = 3; field <= 22; ++field) {
        rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
        const std::string_view value = rest.substr(0, rest.find(' '));
        if (value.empty()) return std::nullopt;
        if (field == 3) stat.state = value[0];
        if (field == 22) {
            const auto ticks = parse_number<unsigned long long>(value);
            if (!ticks) return std::nullopt;
            stat.start_ticks = *ticks;
        }
        rest.remove_prefix(value.size());
    }
    return stat;
}

// Whether the process the record names is still the one that wrote it.
bool record_is_current(const LockRecord& record) {
    if (const auto stat = read_process_stat(record.pid)) {
        if (stat->state == 'Z' || stat->state == 'X') return false;  // exited, not yet reaped
        return record.start_ticks == 0 || stat->start_ticks == record.start_ticks;
    }
    // No /proc entry: gone, unless /proc itself is unreadable (then ask the kernel).
    if (read_small_file("/proc/self/stat")) return false;
    return kill(record.pid, 0) == 0 || errno == EPERM;
}

LockBusy read_busy(int fd, const std::string& path) {
    LockBusy busy{path, std::nullopt, false};
    std::string text(kMaxRecordBytes, '\0');
    const ssize_t length = pread(fd, text.data(), text.size(), 0);
    if (length <= 0) return busy;
    text.resize(static_cast<std::size_t>(length));
    busy.record = parse_lock_record(text);
    busy.record_is_current = busy.record && record_is_current(*busy.record);
    return busy;
}

std::string format_local_time(Wall::time_point when, Wall::time_point now) {
    const std::time_t at = Wall::to_time_t(when);
    const std::time_t today = Wall::to_time_t(now);
    std::tm local{};
    std::tm local_now{};
    if (localtime_r(&at, &local) == nullptr || localtime_r(&today, &local_now) == nullptr) return "?";
    std::array<char, 32> text{};
    const bool same_day = local.tm_year == local_now.tm_year && local.tm_yday == local_now.tm_yday;
    const char* format = same_day ? "%H:%M:%S" : "%Y-%m-%d %H:%M:%S";
    const std::size_t length = std::strftime(text.data(), text.size(), format, &local);
    return std::string(text.data(), length);
}

std::string format_age(std::chrono::seconds age) {
    const auto s = std::max<std::int64_t>(age.count(), 0);
    if (s < 120) return fmt::format("{} s", s);
    if (s < 7200) return fmt::format("{} min {} s", s / 60, s % 60);
    return fmt::format("{} h {} min", s / 3600, s % 3600 / 60);
}

std::string format_wait(std::chrono::milliseconds wait) {
    if (wait.count() % 1000 == 0) return fmt::format("{} s", wait.count() / 1000);
    return fmt::format("{} ms", wait.count());
}

Result<void> write_record(int fd, const std::string& path, std::string_view command) {
    LockRecord record;
    record.pid = getpid();
    record.start_ticks = read_process_stat(record.pid).value_or(ProcessStat{}).start_ticks;
    record.since = std::chrono::time_point_cast<std::chrono::seconds>(Wall::now());
    record.command = command.empty() ? own_command_line() : printable(command);
    const std::string text = format_lock_record(record);
    if (ftruncate(fd, 0) < 0) return fail(errno, fmt::format("clear {}", path));
    if (pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
        return fail(errno, fmt::format("write the holder's record into {}", path));
    }
    return {};
}

}  // namespace

std::string format_lock_record(const LockRecord& record) {
    return fmt::format("pid {}\nstart_ticks {}\nsince {}\ncommand {}\n", record.pid, record.start_ticks,
                       std::chrono::duration_cast<std::chrono::seconds>(record.since.time_since_epoch()).count(),
                       printable(record.command));
}

std::optional<LockRecord> parse_lock_record(std::string_view text) {
    LockRecord record;
    bool has_pid = false, has_since = false, has_command = false;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        if (end == std::string_view::npos) return std::nullopt;  // cut short while being written
        const std::string_view line = text.substr(0, end);
        text.remove_prefix(end + 1);
        const std::size_t space = line.find(' ');
        const std::string_view key = line.substr(0, space);
        const std::string_view value = space == std::string_view::npos ? "" : line.substr(space + 1);
        if (key == "pid") {
            const auto pid = parse_number<pid_t>(value);
            if (!pid || *pid <= 0) return std::nullopt;
            record.pid = *pid;
            has_pid = true;
        } else if (key == "start_ticks") {
            const auto ticks = parse_number<unsigned long long>(value);
            if (!ticks) return std::nullopt;
            record.start_ticks = *ticks;
        } else if (key == "since") {
            const auto seconds = parse_number<std::int64_t>(value);
            if (!seconds) return std::nullopt;
            record.since = Wall::time_point(std::chrono::seconds(*seconds));
            has_since = true;
        } else if (key == "command") {
            record.command = std::string(value);
            has_command = true;
        } else {
            return std::nullopt;
        }
    }
    if (!has_pid || !has_since || !has_command) return std::nullopt;
    return record;
}

std::string describe_lock_holder(const LockBusy& busy, Wall::time_point now) {
    if (!busy.record) return "an unknown process (the lock file has no record of it)";
    const LockRecord& record = *busy.record;
    const std::string command = record.command.empty() ? std::string() : fmt::format(" ({})", record.command);
    const std::string since = format_local_time(record.since, now);
    if (!busy.record_is_current) {
        return fmt::format("an unknown process (the lock file still names pid {}{} from {}, which has exited)",
                           record.pid, command, since);
    }
    const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - record.since);
    return fmt::format("pid {}{} since {} (for {})", record.pid, command, since, format_age(age));
}

NodeLock::~NodeLock() {
    if (fd_.valid()) (void)ftruncate(fd_.get(), 0);
}

Result<NodeLock> acquire_node_lock(std::string_view state_dir, std::chrono::milliseconds timeout,
                                   const std::function<void(const LockBusy&)>& on_wait, std::string_view command) {
    const std::string dir(state_dir);
    if (mkdir(dir.c_str(), 0700) < 0 && errno != EEXIST) return fail(errno, fmt::format("create {}", dir));
    std::string path = dir + "/lock";
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd.valid()) return fail(errno, fmt::format("open {}", path));

    const auto first_try = std::chrono::steady_clock::now();
    const auto deadline = first_try + timeout;
    bool told = false;
    for (;;) {
        if (flock(fd.get(), LOCK_EX | LOCK_NB) == 0) {
            if (auto written = write_record(fd.get(), path, command); !written) return fail(std::move(written).error());
            return NodeLock(std::move(fd), std::move(path));
        }
        if (errno == EINTR) continue;
        if (errno != EWOULDBLOCK) return fail(errno, fmt::format("lock {}", path));

        const auto now = std::chrono::steady_clock::now();
        const LockBusy busy = read_busy(fd.get(), path);
        if (now >= deadline) {
            const std::string holder = describe_lock_holder(busy, Wall::now());
            if (timeout.count() == 0) {
                return fail_plain(EWOULDBLOCK, fmt::format("the node lock {} is held by {}", path, holder));
            }
            return fail_plain(EWOULDBLOCK, fmt::format("gave up after {}: the node lock {} is held by {}",
                                                       format_wait(timeout), path, holder));
        }
        if (!told && on_wait && (busy.record_is_current || now - first_try >= kRecordGrace)) {
            on_wait(busy);
            told = true;
        }
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(kRetryEvery, deadline - now));
    }
}

}  // namespace podnetc::rt
