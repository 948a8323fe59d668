// The record of the last successful apply of a node (planner.hpp applied_record),
// kept at STATE_DIR/applied/NODE.json so that `plan` can tell drift from changes in
// the file. One file per node name; a file without node blocks is "(single-node)".
#pragma once

#include <map>
#include <optional>
#include <string>

#include "runtime/sys/sys_error.hpp"

namespace podnetc::rt {

using AppliedRecord = std::map<std::string, std::string>;

std::string applied_record_path(const std::string& state_dir, const std::string& node);

// nullopt when the node was never applied (or the state directory was lost).
// After a plan with nothing to do: writes `record` only when it differs from the one
// the node was read with (`last`), so that a converged node costs no write.
Result<void> refresh_applied_record(const std::string& state_dir, const std::string& node,
                                    const AppliedRecord& record, const std::optional<AppliedRecord>& last);

Result<std::optional<AppliedRecord>> load_applied_record(const std::string& state_dir, const std::string& node);
Result<void> store_applied_record(const std::string& state_dir, const std::string& node,
                                  const AppliedRecord& record);
Result<void> remove_applied_record(const std::string& state_dir, const std::string& node);

}  // namespace podnetc::rt
