// The product binary: no test switches, whatever the environment says.
#include "tools/podnetc/test_switches.hpp"

namespace podnetc::cli {

Expected<rt::TestFaults, std::string> test_faults_from_environment() { return rt::TestFaults{}; }

}  // namespace podnetc::cli
