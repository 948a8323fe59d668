// Files in podnetc's state directory (the journal, the applied records): read
// whole, and replaced atomically (temporary file, fsync, rename, fsync of the
// directory), so a crash leaves either the old or the new content, never half.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "runtime/sys/sys_error.hpp"

namespace podnetc::rt {

// mkdir -p with mode 0755 for what it creates.
Result<void> ensure_directory(const std::string& path);

// The whole file, or nullopt when it does not exist.
Result<std::optional<std::string>> read_state_file(const std::string& path);

Result<void> write_state_file(const std::string& path, std::string_view content);

// Removes the file; an absent file is not an error.
Result<void> remove_state_file(const std::string& path);

// fsync of a directory, so that a rename or an unlink in it is durable.
Result<void> sync_directory(const std::string& path);

}  // namespace podnetc::rt
