// Files in the state directory that must survive a crash at any instant: written
// to a temporary name, flushed, renamed over the real name, and the directory
// flushed, so that a reader finds either the old complete file or the new one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "runtime/sys_error.hpp"

namespace podnetc::rt {

// Creates `path` (mode 0700) if it is missing; its parent must exist.
Result<void> ensure_directory(const std::string& path);

// Replaces DIR/NAME with `text` atomically and durably.
Result<void> write_file_atomically(const std::string& dir, std::string_view name, std::string_view text);

// The whole file, or nullopt if it does not exist.
Result<std::optional<std::string>> read_file_if_exists(const std::string& path);

// Removes a file; a missing one is not an error.
Result<void> remove_file(const std::string& path);

// fsync of a directory, after a rename or an unlink in it.
Result<void> sync_directory(const std::string& dir);

}  // namespace podnetc::rt
