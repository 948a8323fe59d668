// Kernel tests ([.kernel]) change kernel state: they may only run inside
// tools/sandbox, never in the host's network namespace, whatever tag pattern
// someone passes on the command line. This listener refuses to start one unless
// the process is in the namespace tools/sandbox made: the sandbox writes its
// namespace's identity to /run/podnetc-sandbox, on a /run that only it can see.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <fstream>
#include <string>

#include <unistd.h>

namespace {

bool in_sandbox() {
    char link[64] = {};
    const ssize_t n = ::readlink("/proc/self/ns/net", link, sizeof link - 1);
    if (n <= 0) return false;
    std::ifstream marker("/run/podnetc-sandbox");
    std::string recorded;
    std::getline(marker, recorded);
    return !recorded.empty() && recorded == std::string(link, static_cast<std::size_t>(n));
}

struct KernelTestGuard : Catch::TestEventListenerBase {
    using TestEventListenerBase::TestEventListenerBase;

    void testCaseStarting(const Catch::TestCaseInfo& info) override {
        const bool kernel = std::find(info.lcaseTags.begin(), info.lcaseTags.end(), "kernel") != info.lcaseTags.end();
        if (!kernel || in_sandbox()) return;
        std::fprintf(stderr,
                     "refusing to run kernel test \"%s\" in the host's network namespace: run it inside "
                     "tools/sandbox (ctest -L kernel does)\n",
                     info.name.c_str());
        std::abort();
    }
};

}  // namespace

CATCH_REGISTER_LISTENER(KernelTestGuard)
