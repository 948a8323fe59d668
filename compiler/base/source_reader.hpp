// Reading a topology file into memory. Only a regular file is read: a directory,
// FIFO, device or socket is refused with the reason instead of being read as an
// empty (or never-ending) file, which would make `apply` delete every pod.
#pragma once

#include <string>

#include "compiler/base/expected.hpp"

namespace podnetc {

// The file's bytes, or why it cannot be read ("it is a directory", "Permission
// denied", "it is a symbolic link to 'x', which does not exist"). Never blocks on a
// FIFO: the file is opened non-blocking and its type checked before reading.
Expected<std::string, std::string> read_source_text(const std::string& path);

}  // namespace podnetc
