// A directory under the system's temporary directory, removed with everything in
// it when the test is done: a state directory for journal and record tests.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace podnetc::test {

struct TempDir {
    std::string path;
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "podnetc-test-XXXXXX").string();
        path = mkdtemp(pattern.data());
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

}  // namespace podnetc::test
