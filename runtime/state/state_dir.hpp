// podnetc's state directory: $PODNETC_STATE_DIR, else /run/podnetc (ownership.hpp).
// It holds the journal, the lock and the namespace registry; it lives on /run,
// so it vanishes at reboot together with everything it describes.
#pragma once

#include <string>

namespace podnetc::rt {

std::string state_dir_from_environment();

}  // namespace podnetc::rt
