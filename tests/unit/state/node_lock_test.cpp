// The node lock: flock on STATE_DIR/lock, the holder's record, waiting, timeouts.
// flock locks belong to open file descriptions, so two acquisitions in one process
// (each opens the file itself) contend like two processes do.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/state/node_lock.hpp"

using namespace podnetc;
using namespace podnetc::rt;
using namespace std::chrono_literals;

namespace {

using SteadyClock = std::chrono::steady_clock;

struct TempDir {
    std::string path;
    TempDir() {
        char pattern[] = "/tmp/podnetc-lock-XXXXXX";
        REQUIRE(mkdtemp(pattern) != nullptr);
        path = pattern;
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string state_dir() const { return path + "/state"; }
    std::string lock_file() const { return state_dir() + "/lock"; }
};

std::string read_file(const std::string& path) {
    std::string text(4096, '\0');
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    const ssize_t length = ::read(fd, text.data(), text.size());
    ::close(fd);
    REQUIRE(length >= 0);
    text.resize(static_cast<std::size_t>(length));
    return text;
}

void write_file(const std::string& path, const std::string& text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    CHECK(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    ::close(fd);
}

std::optional<LockRecord> record_in(const std::string& path) { return parse_lock_record(read_file(path)); }

// A pid that belonged to a process a moment ago and now to none.
pid_t dead_pid() {
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) _exit(0);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    return child;
}

// A lock taken by hand on another open file description (like `flock FILE cmd` would).
struct ForeignFlock {
    int fd = -1;
    explicit ForeignFlock(const std::string& path) {
        fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        REQUIRE(fd >= 0);
        REQUIRE(flock(fd, LOCK_EX | LOCK_NB) == 0);
    }
    ~ForeignFlock() { ::close(fd); }
};

std::string message_of(const Result<NodeLock>& lock) { return lock ? std::string() : lock.error().message; }

}  // namespace

TEST_CASE("node lock: the first taker holds it and records itself; a second one waits, then gives up naming it") {
    TempDir dir;
    auto first = acquire_node_lock(dir.state_dir(), 0ms, {}, "podnetc apply examples/route.pnet");
    INFO(message_of(first));
    REQUIRE(first);
    CHECK(first->path() == dir.lock_file());

    struct stat info {};
    REQUIRE(stat(dir.state_dir().c_str(), &info) == 0);
    CHECK((info.st_mode & 07777) == 0700);
    REQUIRE(stat(dir.lock_file().c_str(), &info) == 0);
    CHECK((info.st_mode & 07777) == 0600);

    const auto record = record_in(dir.lock_file());
    REQUIRE(record);
    CHECK(record->pid == getpid());
    CHECK(record->command == "podnetc apply examples/route.pnet");
    CHECK(record->start_ticks > 0);
    CHECK(std::chrono::system_clock::now() - record->since < 5s);
    const std::string holder = fmt::format("pid {} (podnetc apply examples/route.pnet) since ", getpid());

    SECTION("timeout 0: one try, no waiting, no on_wait") {
        int waits = 0;
        const auto started = SteadyClock::now();
        auto second = acquire_node_lock(dir.state_dir(), 0ms, [&](const LockBusy&) { ++waits; });
        REQUIRE_FALSE(second);
        CHECK(SteadyClock::now() - started < 50ms);
        CHECK(second.error().code == EWOULDBLOCK);
        CHECK_THAT(second.error().message,
                   Catch::StartsWith(fmt::format("the node lock {} is held by {}", dir.lock_file(), holder)));
        CHECK_THAT(second.error().message, Catch::EndsWith("(for 0 s)"));
        CHECK(waits == 0);
    }
    SECTION("a timeout: on_wait once with the holder's record, then an error after the timeout") {
        std::vector<LockBusy> waits;
        const auto started = SteadyClock::now();
        auto second = acquire_node_lock(dir.state_dir(), 150ms, [&](const LockBusy& busy) { waits.push_back(busy); });
        const auto waited = SteadyClock::now() - started;
        REQUIRE_FALSE(second);
        CHECK(waited >= 150ms);
        CHECK(waited < 1s);
        CHECK(second.error().code == EWOULDBLOCK);
        CHECK_THAT(second.error().message,
                   Catch::StartsWith(fmt::format("gave up after 150 ms: the node lock {} is held by {}",
                                                 dir.lock_file(), holder)));
        REQUIRE(waits.size() == 1);
        CHECK(waits[0].path == dir.lock_file());
        CHECK(waits[0].record == record);
        CHECK(waits[0].record_is_current);
    }
    SECTION("released: the record is cleared and the next taker gets the lock at once") {
        first = fail_plain(0, "released");  // destroys the NodeLock
        CHECK(read_file(dir.lock_file()).empty());
        const auto started = SteadyClock::now();
        auto next = acquire_node_lock(dir.state_dir(), 1000ms, {}, "podnetc destroy");
        INFO(message_of(next));
        REQUIRE(next);
        CHECK(SteadyClock::now() - started < 50ms);
        CHECK(record_in(dir.lock_file())->command == "podnetc destroy");
    }
}

TEST_CASE("node lock: a child process holds it; the parent waits and gets it when the child lets go") {
    TempDir dir;
    int held[2];
    int release[2];
    REQUIRE(pipe(held) == 0);
    REQUIRE(pipe(release) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        char byte = 0;
        {
            auto lock = acquire_node_lock(dir.state_dir(), 0ms, {}, "podnetc apply child.pnet");
            byte = lock ? 'y' : 'n';
            (void)!write(held[1], &byte, 1);
            (void)!read(release[0], &byte, 1);
        }
        _exit(0);
    }
    char byte = 0;
    REQUIRE(read(held[0], &byte, 1) == 1);
    REQUIRE(byte == 'y');

    std::vector<LockBusy> waits;
    const auto started = SteadyClock::now();
    auto lock = acquire_node_lock(dir.state_dir(), 5000ms, [&](const LockBusy& busy) {
        waits.push_back(busy);
        (void)!write(release[1], "x", 1);  // now the child may let go
    });
    INFO(message_of(lock));
    REQUIRE(lock);
    CHECK(SteadyClock::now() - started < 2s);
    REQUIRE(waits.size() == 1);
    REQUIRE(waits[0].record);
    CHECK(waits[0].record->pid == child);
    CHECK(waits[0].record->command == "podnetc apply child.pnet");
    CHECK(waits[0].record_is_current);
    CHECK(record_in(dir.lock_file())->pid == getpid());

    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    for (int fd : {held[0], held[1], release[0], release[1]}) close(fd);
}

TEST_CASE("node lock: a holder that dies releases it; its record is stale, and says so") {
    TempDir dir;
    int held[2];
    REQUIRE(pipe(held) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        auto lock = acquire_node_lock(dir.state_dir(), 0ms, {}, "podnetc apply crash.pnet");
        const char byte = lock ? 'y' : 'n';
        (void)!write(held[1], &byte, 1);
        pause();  // killed here, holding the lock: no destructor runs
        _exit(1);
    }
    char byte = 0;
    REQUIRE(read(held[0], &byte, 1) == 1);
    REQUIRE(byte == 'y');
    REQUIRE(kill(child, SIGKILL) == 0);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    close(held[0]);
    close(held[1]);

    // The record outlives its writer.
    const auto stale = record_in(dir.lock_file());
    REQUIRE(stale);
    CHECK(stale->pid == child);

    SECTION("nobody holds the lock: the next taker gets it at once and replaces the record") {
        auto lock = acquire_node_lock(dir.state_dir(), 0ms, {}, "podnetc apply next.pnet");
        INFO(message_of(lock));
        REQUIRE(lock);
        CHECK(record_in(dir.lock_file())->pid == getpid());
    }
    SECTION("somebody without a record holds it: an unknown process, and the record is called stale") {
        ForeignFlock foreign(dir.lock_file());
        auto lock = acquire_node_lock(dir.state_dir(), 0ms);
        REQUIRE_FALSE(lock);
        CHECK_THAT(lock.error().message,
                   Catch::StartsWith(fmt::format("the node lock {} is held by an unknown process (the lock file still "
                                                 "names pid {} (podnetc apply crash.pnet) from ",
                                                 dir.lock_file(), child)));
        CHECK_THAT(lock.error().message, Catch::EndsWith(", which has exited)"));
    }
}

TEST_CASE("node lock: a busy lock without a record, a record naming a reused pid") {
    TempDir dir;
    REQUIRE(mkdir(dir.state_dir().c_str(), 0700) == 0);

    SECTION("no record: on_wait comes after a short grace for the holder to write one") {
        ForeignFlock foreign(dir.lock_file());
        std::vector<LockBusy> waits;
        std::chrono::steady_clock::duration told_after{};
        const auto started = SteadyClock::now();
        auto lock = acquire_node_lock(dir.state_dir(), 400ms, [&](const LockBusy& busy) {
            waits.push_back(busy);
            told_after = SteadyClock::now() - started;
        });
        REQUIRE_FALSE(lock);
        CHECK(lock.error().message ==
              fmt::format("gave up after 400 ms: the node lock {} is held by an unknown process "
                          "(the lock file has no record of it)", dir.lock_file()));
        REQUIRE(waits.size() == 1);
        CHECK_FALSE(waits[0].record);
        CHECK(told_after >= 100ms);
        CHECK(told_after < 400ms);
    }
    SECTION("a live pid with another start time is not the process that wrote the record") {
        LockRecord record;
        record.pid = getpid();
        record.start_ticks = 1;  // this process started later than one tick after boot
        record.since = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        record.command = "podnetc apply old.pnet";
        write_file(dir.lock_file(), format_lock_record(record));
        ForeignFlock foreign(dir.lock_file());
        auto lock = acquire_node_lock(dir.state_dir(), 0ms);
        REQUIRE_FALSE(lock);
        CHECK_THAT(lock.error().message, Catch::Contains("an unknown process (the lock file still names pid"));
    }
    SECTION("a record naming a dead pid: stale") {
        LockRecord record{dead_pid(), 0, std::chrono::system_clock::now(), "podnetc apply gone.pnet"};
        write_file(dir.lock_file(), format_lock_record(record));
        ForeignFlock foreign(dir.lock_file());
        auto lock = acquire_node_lock(dir.state_dir(), 0ms);
        REQUIRE_FALSE(lock);
        CHECK_THAT(lock.error().message, Catch::Contains(fmt::format("still names pid {} (podnetc apply gone.pnet)",
                                                                     record.pid)));
    }
}

TEST_CASE("node lock: state directory trouble is an error that says where") {
    TempDir dir;
    auto lock = acquire_node_lock(dir.path + "/missing/state", 0ms);
    REQUIRE_FALSE(lock);
    CHECK(lock.error().code == ENOENT);
    CHECK(lock.error().message == fmt::format("create {}/missing/state: No such file or directory", dir.path));
}

TEST_CASE("lock record: written and read back; partial or foreign files are no record") {
    LockRecord record;
    record.pid = 1234;
    record.start_ticks = 8812345;
    record.since = std::chrono::system_clock::time_point(std::chrono::seconds(1764108184));
    record.command = "podnetc apply examples/route.pnet";
    const std::string text = format_lock_record(record);
    CHECK(text == "pid 1234\nstart_ticks 8812345\nsince 1764108184\ncommand podnetc apply examples/route.pnet\n");
    CHECK(parse_lock_record(text) == record);

    CHECK_FALSE(parse_lock_record(""));
    CHECK_FALSE(parse_lock_record(text.substr(0, text.size() - 1)));          // cut short while written
    CHECK_FALSE(parse_lock_record("pid 1234\nsince 1764108184\n"));            // no command
    CHECK_FALSE(parse_lock_record("pid -4\nsince 1\ncommand x\n"));
    CHECK_FALSE(parse_lock_record("pid 12x\nsince 1\ncommand x\n"));
    CHECK_FALSE(parse_lock_record("pid 1\nsince 1\ncommand x\nowner me\n"));   // not ours
    CHECK(parse_lock_record("pid 1\nsince 1\ncommand \n")->command.empty());  // start_ticks optional

    // A command line is one printable line in the file, whatever it held.
    record.command = std::string("podnetc apply a\nb\x1b.pnet\0x", 25);
    CHECK(parse_lock_record(format_lock_record(record))->command == "podnetc apply a?b?.pnet x");
}

TEST_CASE("describe_lock_holder: how long it has been held") {
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1764108184));
    LockBusy busy{"/run/podnetc/lock", LockRecord{1234, 0, now - 75s, "podnetc apply x.pnet"}, true};
    CHECK_THAT(describe_lock_holder(busy, now), Catch::StartsWith("pid 1234 (podnetc apply x.pnet) since "));
    CHECK_THAT(describe_lock_holder(busy, now), Catch::EndsWith(" (for 75 s)"));
    busy.record->since = now - 184s;
    CHECK_THAT(describe_lock_holder(busy, now), Catch::EndsWith(" (for 3 min 4 s)"));
    busy.record->since = now - 3h - 5min;
    CHECK_THAT(describe_lock_holder(busy, now), Catch::EndsWith(" (for 3 h 5 min)"));
    busy.record->command.clear();
    CHECK_THAT(describe_lock_holder(busy, now), Catch::StartsWith("pid 1234 since "));
}
