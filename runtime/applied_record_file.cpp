#include "runtime/applied_record_file.hpp"

#include <cerrno>

#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "runtime/state_files.hpp"

namespace podnetc::rt {

std::string applied_record_text(const AppliedRecord& record, std::string_view node, std::int64_t applied_at) {
    nlohmann::ordered_json j;
    j["format"] = kAppliedRecordFormat;
    j["node"] = node;
    j["applied"] = applied_at;
    nlohmann::ordered_json entries = nlohmann::ordered_json::object();
    for (const auto& [key, text] : record) entries[key] = text;  // std::map: sorted keys
    j["record"] = std::move(entries);
    return j.dump(2) + "\n";
}

Result<void> write_applied_record(const std::string& state_dir, const AppliedRecord& record, std::string_view node,
                                  std::int64_t applied_at) {
    if (auto made = ensure_directory(state_dir); !made) return made;
    return write_file_atomically(state_dir, kAppliedRecordName, applied_record_text(record, node, applied_at));
}

Result<std::optional<AppliedRecord>> read_applied_record(const std::string& state_dir) {
    const std::string path = fmt::format("{}/{}", state_dir, kAppliedRecordName);
    auto text = read_file_if_exists(path);
    if (!text) return fail(std::move(text).error());
    if (!*text) return std::optional<AppliedRecord>{};
    try {
        const nlohmann::json j = nlohmann::json::parse(**text);
        if (j.at("format").get<std::string>() != kAppliedRecordFormat) {
            return fail_plain(EINVAL, fmt::format("{}: not a record of format {}", path, kAppliedRecordFormat));
        }
        AppliedRecord record;
        for (const auto& [key, value] : j.at("record").items()) record.emplace(key, value.get<std::string>());
        return std::optional<AppliedRecord>{std::move(record)};
    } catch (const nlohmann::json::exception& e) {
        return fail_plain(EINVAL, fmt::format("{}: {} (remove the file if it is damaged: the next apply "
                                              "writes it again)",
                                              path, e.what()));
    }
}

Result<void> remove_applied_record(const std::string& state_dir) {
    const std::string path = fmt::format("{}/{}", state_dir, kAppliedRecordName);
    if (::unlink(path.c_str()) < 0) {
        if (errno == ENOENT) return {};
        return fail(errno, fmt::format("remove {}", path));
    }
    return sync_directory(state_dir);
}

}  // namespace podnetc::rt
