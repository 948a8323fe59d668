// Reading a topology file: only regular files are read; everything else is refused
// with the reason, and a FIFO without a writer does not block.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "compiler/base/source_reader.hpp"

using namespace podnetc;

namespace {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "podnetc-reader-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::string problem(const std::string& path) {
    const auto text = read_source_text(path);
    REQUIRE_FALSE(text.has_value());
    return text.error();
}

}  // namespace

TEST_CASE("a regular file is read whole, an empty one as empty", "[source]") {
    TempDir dir;
    std::ofstream(dir / "a.pnet", std::ios::binary) << std::string(200'000, 'p') << "\n";
    std::ofstream(dir / "empty.pnet");
    const auto text = read_source_text(dir / "a.pnet");
    REQUIRE(text.has_value());
    CHECK(text->size() == 200'001);
    const auto empty = read_source_text(dir / "empty.pnet");
    REQUIRE(empty.has_value());
    CHECK(empty->empty());
}

TEST_CASE("a directory, FIFO, device or socket is refused with its type", "[source]") {
    TempDir dir;
    std::filesystem::create_directory(dir / "dir.pnet");
    CHECK(problem(dir / "dir.pnet") == "it is a directory");
    REQUIRE(::mkfifo((dir / "fifo.pnet").c_str(), 0600) == 0);
    CHECK(problem(dir / "fifo.pnet") == "it is a FIFO (named pipe), not a regular file");  // no writer: no block
    CHECK(problem("/dev/null") == "it is a character device, not a regular file");

    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string socket_path = dir / "sock.pnet";
    REQUIRE(socket_path.size() < sizeof address.sun_path);
    socket_path.copy(address.sun_path, socket_path.size());
    REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    CHECK(problem(socket_path) == "it is a socket, not a regular file");
    ::close(fd);
}

TEST_CASE("a missing file, a dangling symlink and a path that is not UTF-8", "[source]") {
    TempDir dir;
    CHECK(problem(dir / "missing.pnet") == "No such file or directory");
    std::filesystem::create_symlink(dir / "gone.pnet", dir / "link.pnet");
    CHECK(problem(dir / "link.pnet") == "it is a symbolic link to '" + (dir / "gone.pnet") + "', which does not exist");
    const std::string odd = dir / "t\xff\xfe.pnet";
    std::ofstream(odd) << "pod\n";
    const auto text = read_source_text(odd);
    REQUIRE(text.has_value());
    CHECK(*text == "pod\n");
}
