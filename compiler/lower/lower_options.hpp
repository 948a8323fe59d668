// Options of declarations: which keys exist where, which modes they make sense
// for, and reading them (unknown keys, missing or unexpected values, repeats).
// Both front ends hand options over unchecked, so TOML and .pnet share this.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/syntax/ast.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/lower/lower_expand.hpp"
#include "compiler/lower/lower_report.hpp"

namespace podnetc::lowering {

using ModeSet = std::uint8_t;
constexpr ModeSet mode_bit(ir::Mode mode) { return static_cast<ModeSet>(1u << static_cast<unsigned>(mode)); }
inline constexpr ModeSet kAllModes = 0x7;

struct OptionSpec {
    std::string_view key;
    bool flag = false;        // no value (`adopt`); TOML may say `true` / `false`
    bool repeatable = false;  // `address` may be given several times
    ModeSet modes = kAllModes;
    std::string_view mode_hint = {};  // why it makes no sense elsewhere, for the note
};

// Indices into the tables below, so that readers can name what they look for.
enum class NetworkKey { mode, subnet, bridge, gateway, mtu, max_pairs, adopt, count };
enum class InterfaceKey { address, host_veth, mac, host_mac, mtu, default_route, count };
enum class PodKey { adopt, count };
enum class NodeKey { underlay, dev, count };
enum class ClusterKey { backend, count };

std::span<const OptionSpec> network_options();
std::span<const OptionSpec> interface_options();

// One occurrence of an option after expansion.
struct OptionUse {
    const ast::Option* option = nullptr;
    std::optional<Located> value;  // absent for flags and when the value failed to expand
    bool flag = true;              // a flag's value (TOML: `adopt = false`)
};

// Every known key's occurrences, in the order of the spec table.
struct ReadOptions {
    std::vector<std::vector<OptionUse>> uses;

    template <typename Key>
    const std::vector<OptionUse>& operator[](Key key) const {
        return uses[static_cast<std::size_t>(key)];
    }
    template <typename Key>
    const OptionUse* first(Key key) const {
        const auto& list = uses[static_cast<std::size_t>(key)];
        return list.empty() ? nullptr : &list.front();
    }
    // A flag: given (and not `false`).
    template <typename Key>
    bool flag(Key key) const {
        const OptionUse* use = first(key);
        return use != nullptr && use->flag;
    }
};

// What kind of declaration the options belong to, for messages ("network", "pod",
// "interface", "node", "cluster").
enum class OptionOwner { network, pod, interface, node, cluster };

// Reads options against a table: reports unknown keys (with "did you mean"),
// missing or unexpected values and repeated single-valued options (the first
// wins). Values are expanded but not parsed.
ReadOptions read_options(const std::vector<ast::Option>& options, OptionOwner owner, Expander& expander,
                         Reporter& reporter, ContextId context);

// Reports options that make no sense for `mode`, with a note at `mode_range` (the
// network's mode option). Such options are then dropped from `read`.
void check_option_modes(ReadOptions& read, std::span<const OptionSpec> specs, ir::Mode mode,
                        std::string_view network, SourceRange mode_range, Reporter& reporter,
                        ContextId context);

}  // namespace podnetc::lowering
