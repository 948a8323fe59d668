// STATE_DIR/applied.json: what the last successful apply on this node declared
// (plan::applied_record), so that the next plan can tell drift (the kernel moved
// away from it) from a change of the file. Written after an apply succeeded,
// removed after a destroy; read into live::State::last_applied by the kernel reader.
//
//   {"format": "podnetc-applied/1", "node": "worker-1", "applied": 1764108184,
//    "record": {"link veth1": "link veth1 veth peer pod-1/eth0 …", …}}
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/sys_error.hpp"

namespace podnetc::rt {

inline constexpr std::string_view kAppliedRecordName = "applied.json";
inline constexpr std::string_view kAppliedRecordFormat = "podnetc-applied/1";

using AppliedRecord = std::map<std::string, std::string>;

std::string applied_record_text(const AppliedRecord& record, std::string_view node, std::int64_t applied_at);

Result<void> write_applied_record(const std::string& state_dir, const AppliedRecord& record, std::string_view node,
                                  std::int64_t applied_at);
// nullopt when there is none; an error for a file that is not a record.
Result<std::optional<AppliedRecord>> read_applied_record(const std::string& state_dir);
Result<void> remove_applied_record(const std::string& state_dir);

}  // namespace podnetc::rt
