// Kernel tests ([.kernel]) change kernel state: they may only run inside
// tools/sandbox, never in the host's network namespace, whatever tag pattern
// someone passes on the command line. This listener refuses to start one unless
// the process is in a network namespace other than PID 1's (the sandbox's
// `unshare --net` gives it one; the host's own namespace is PID 1's).
#define CATCH_CONFIG_EXTERNAL_INTERFACES  // TestEventListenerBase
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <sys/stat.h>

namespace {

bool in_own_network_namespace() {
    struct stat mine {};
    struct stat init {};
    if (::stat("/proc/self/ns/net", &mine) != 0 || ::stat("/proc/1/ns/net", &init) != 0) return false;
    return mine.st_dev != init.st_dev || mine.st_ino != init.st_ino;
}

struct KernelTestGuard : Catch::TestEventListenerBase {
    using TestEventListenerBase::TestEventListenerBase;

    void testCaseStarting(const Catch::TestCaseInfo& info) override {
        const bool kernel = std::find(info.lcaseTags.begin(), info.lcaseTags.end(), "kernel") != info.lcaseTags.end();
        if (!kernel || in_own_network_namespace()) return;
        std::fprintf(stderr,
                     "refusing to run kernel test \"%s\" in the host's network namespace: run it inside "
                     "tools/sandbox (ctest -L kernel does)\n",
                     info.name.c_str());
        std::abort();
    }
};

}  // namespace

CATCH_REGISTER_LISTENER(KernelTestGuard)
