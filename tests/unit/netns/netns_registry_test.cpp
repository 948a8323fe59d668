// The namespace registry and the /run/netns listing work on plain directories, so
// they are tested here in a temporary directory, without root.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "runtime/netns/netns.hpp"
#include "runtime/netns/netns_registry.hpp"

namespace {

namespace fs = std::filesystem;

struct TempDir {
    fs::path path;
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "podnetc-test-XXXXXX").string();
        path = mkdtemp(pattern.data());
    }
    ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("registry: add, list sorted, remove; idempotent", "[netns]") {
    TempDir dir;
    const podnetc::rt::NetnsRegistry registry((dir.path / "state").string());
    auto empty = registry.list();
    REQUIRE(empty);
    CHECK(empty->empty());  // the directory does not exist yet

    REQUIRE(registry.add("pod-2"));
    REQUIRE(registry.add("pod-1"));
    REQUIRE(registry.add("pod-1"));
    CHECK(fs::is_regular_file(dir.path / "state" / "netns" / "pod-1"));
    auto listed = registry.list();
    REQUIRE(listed);
    CHECK(*listed == std::vector<std::string>{"pod-1", "pod-2"});

    REQUIRE(registry.remove("pod-1"));
    REQUIRE(registry.remove("pod-1"));
    listed = registry.list();
    REQUIRE(listed);
    CHECK(*listed == std::vector<std::string>{"pod-2"});
}

TEST_CASE("registry: refuses names that are not file names", "[netns]") {
    TempDir dir;
    const podnetc::rt::NetnsRegistry registry(dir.path.string());
    for (const char* bad : {"", ".", "..", "a/b"}) {
        auto added = registry.add(bad);
        REQUIRE_FALSE(added);
        CHECK(added.error().code == EINVAL);
    }
    CHECK_FALSE(fs::exists(dir.path / "netns"));
}

TEST_CASE("list_named_netns: sorted names, absent directory is empty", "[netns]") {
    TempDir dir;
    for (const char* name : {"pod-b", "pod-a", "host-x"}) std::ofstream(dir.path / name).put('\n');
    auto names = podnetc::rt::list_named_netns(dir.path.string());
    REQUIRE(names);
    CHECK(*names == std::vector<std::string>{"host-x", "pod-a", "pod-b"});

    auto none = podnetc::rt::list_named_netns((dir.path / "missing").string());
    REQUIRE(none);
    CHECK(none->empty());
}

TEST_CASE("open_named refuses a file that is not a namespace", "[netns]") {
    TempDir dir;
    std::ofstream(dir.path / "stale").put('\n');
    auto handle = podnetc::rt::NetnsHandle::open_named("stale", dir.path.string());
    REQUIRE_FALSE(handle);
    CHECK(handle.error().code == EINVAL);
    CHECK_THAT(handle.error().message, Catch::Contains("not a network namespace"));
}
