#include "runtime/netns/netns_registry.hpp"

#include <cerrno>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/netns/netns.hpp"
#include "runtime/sys/unique_fd.hpp"

namespace podnetc::rt {
namespace {

Result<void> make_directory(const std::string& path) {
    if (mkdir(path.c_str(), 0755) < 0 && errno != EEXIST) return fail(errno, fmt::format("mkdir {}", path));
    return {};
}

}  // namespace

NetnsRegistry::NetnsRegistry(std::string state_dir) : directory_(std::move(state_dir) + "/netns") {}

Result<std::vector<std::string>> NetnsRegistry::list() const { return list_named_netns(directory_); }

Result<void> NetnsRegistry::add(std::string_view name) const {
    if (const std::string problem = netns_name_problem(name); !problem.empty()) return fail_plain(EINVAL, problem);
    const std::string state_dir = directory_.substr(0, directory_.size() - std::string_view("/netns").size());
    if (auto made = make_directory(state_dir); !made) return made;
    if (auto made = make_directory(directory_); !made) return made;
    const std::string path = fmt::format("{}/{}", directory_, name);
    UniqueFd file(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
    if (!file.valid()) return fail(errno, fmt::format("register namespace '{}': create {}", name, path));
    return {};
}

Result<void> NetnsRegistry::remove(std::string_view name) const {
    if (const std::string problem = netns_name_problem(name); !problem.empty()) return fail_plain(EINVAL, problem);
    const std::string path = fmt::format("{}/{}", directory_, name);
    if (unlink(path.c_str()) < 0 && errno != ENOENT) {
        return fail(errno, fmt::format("unregister namespace '{}': unlink {}", name, path));
    }
    return {};
}

}  // namespace podnetc::rt
