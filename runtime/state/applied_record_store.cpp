#include "runtime/state/applied_record_store.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/json/json_bytes.hpp"
#include "compiler/json/json_writer.hpp"
#include "runtime/state/state_files.hpp"

namespace podnetc::rt {
namespace {

constexpr std::string_view kFormat = "podnetc-applied/1";

}  // namespace

std::string applied_record_path(const std::string& state_dir, const std::string& node) {
    // Node names are words of the language, which cannot contain '(' or '/'.
    return fmt::format("{}/applied/{}.json", state_dir, node.empty() ? "(single-node)" : node);
}

Result<std::optional<AppliedRecord>> load_applied_record(const std::string& state_dir, const std::string& node) {
    const std::string path = applied_record_path(state_dir, node);
    auto text = read_state_file(path);
    if (!text) return fail(text.error());
    if (!*text) return std::optional<AppliedRecord>{};
    AppliedRecord record;
    try {
        const auto document = parse_json(**text);
        if (document.at("format").get<std::string>() != kFormat) {
            return fail_plain(EINVAL, fmt::format("{}: unknown format (expected \"{}\")", path, kFormat));
        }
        for (const auto& [key, value] : document.at("objects").items()) record[key] = value.get<std::string>();
    } catch (const nlohmann::json::exception& error) {
        return fail_plain(EINVAL, fmt::format("{}: {}", path, error.what()));
    }
    return std::optional<AppliedRecord>{std::move(record)};
}

Result<void> store_applied_record(const std::string& state_dir, const std::string& node,
                                  const AppliedRecord& record) {
    std::string text;
    JsonWriter w(text);
    w.begin_object();
    w.key("format").value(kFormat).key("node").value(node);
    w.key("objects").begin_object();
    for (const auto& [key, line] : record) w.key(key).value(line);
    w.end_object();
    w.end_object();
    return write_state_file(applied_record_path(state_dir, node), text + "\n");
}

Result<void> remove_applied_record(const std::string& state_dir, const std::string& node) {
    return remove_state_file(applied_record_path(state_dir, node));
}

Result<void> refresh_applied_record(const std::string& state_dir, const std::string& node,
                                    const AppliedRecord& record, const std::optional<AppliedRecord>& last) {
    if (last == record) return {};
    return store_applied_record(state_dir, node, record);
}

}  // namespace podnetc::rt
