// Where the transaction's test-only fault switches come from (runtime/apply/
// apply_faults.hpp). Two definitions, one per binary: podnetc-test-switches reads
// PODNETC_TEST_* from the environment (test_switches_env.cpp); the shipped podnetc
// has none (test_switches_off.cpp), so a stray environment line in a unit file
// cannot inject failures or SIGKILLs into production.
#pragma once

#include <string>

#include "compiler/base/expected.hpp"
#include "runtime/apply/apply_faults.hpp"

namespace podnetc::cli {

// An error names a malformed value.
Expected<rt::TestFaults, std::string> test_faults_from_environment();

}  // namespace podnetc::cli
