#include "compiler/lower/lower_options.hpp"

#include <fmt/format.h>

namespace podnetc::lowering {
namespace {

constexpr ModeSet kBridge = mode_bit(ir::Mode::bridge);
constexpr ModeSet kRoute = mode_bit(ir::Mode::route);
constexpr ModeSet kMesh = mode_bit(ir::Mode::mesh);

constexpr std::array<OptionSpec, static_cast<std::size_t>(NetworkKey::count)> kNetworkOptions{{
    {"mode"},
    {"subnet"},
    {"bridge", false, false, kBridge, "only a bridge network has a bridge device"},
    {"gateway", false, false, kBridge | kRoute,
     "mesh pods reach their peers directly; there is no gateway"},
    {"mtu"},
    {"max-pairs", false, false, kMesh, "only a mesh makes a veth pair for every two pods"},
    {"adopt", true, false, kBridge,
     "a network's `adopt` takes over an existing bridge; to take over a pod's namespace and "
     "devices, write `adopt` on the pod"},
}};

constexpr std::array<OptionSpec, static_cast<std::size_t>(InterfaceKey::count)> kInterfaceOptions{{
    {"address", false, true},
    {"host-veth", false, false, kBridge | kRoute, "a mesh pair has no end in the host namespace"},
    {"mac", false, false, kBridge | kRoute,
     "a mesh pod has one interface per peer, which one MAC cannot name"},
    {"host-mac", false, false, kBridge | kRoute, "a mesh pair has no end in the host namespace"},
    {"mtu", false, false, kBridge | kRoute,
     "both ends of a mesh pair must share one MTU: set `mtu` on the mesh network"},
    {"default-route", true, false, kBridge | kRoute,
     "a mesh has no gateway; each pod gets one route per peer address"},
}};

constexpr std::array<OptionSpec, static_cast<std::size_t>(PodKey::count)> kPodOptions{{
    {"adopt", true},
}};

constexpr std::array<OptionSpec, static_cast<std::size_t>(NodeKey::count)> kNodeOptions{{
    {"underlay"},
    {"dev"},
}};

constexpr std::array<OptionSpec, static_cast<std::size_t>(ClusterKey::count)> kClusterOptions{{
    {"backend"},
}};

std::span<const OptionSpec> specs_of(OptionOwner owner) {
    switch (owner) {
        case OptionOwner::network: return kNetworkOptions;
        case OptionOwner::pod: return kPodOptions;
        case OptionOwner::interface: return kInterfaceOptions;
        case OptionOwner::node: return kNodeOptions;
        case OptionOwner::cluster: return kClusterOptions;
    }
    return kNetworkOptions;
}

std::string_view owner_name(OptionOwner owner) {
    switch (owner) {
        case OptionOwner::network: return "network";
        case OptionOwner::pod: return "pod";
        case OptionOwner::interface: return "interface";
        case OptionOwner::node: return "node";
        case OptionOwner::cluster: return "cluster";
    }
    return "network";
}

bool known_key(std::span<const OptionSpec> specs, std::string_view key) {
    for (const OptionSpec& spec : specs) {
        if (spec.key == key) return true;
    }
    return false;
}

// Node and cluster options share no key with the declarations inside a node.
bool of_pod_networking(OptionOwner owner) {
    return owner == OptionOwner::network || owner == OptionOwner::pod || owner == OptionOwner::interface;
}

// Where an option that is unknown here does belong, or "".
std::string elsewhere_hint(OptionOwner owner, std::string_view key) {
    if (!of_pod_networking(owner)) return {};
    if (owner != OptionOwner::interface && known_key(kInterfaceOptions, key)) {
        return owner == OptionOwner::pod
                   ? fmt::format("'{}' is an option of the pod's interface: write it after `on NETWORK`", key)
                   : fmt::format("'{}' is an option of a pod's interface, not of a network", key);
    }
    if (owner != OptionOwner::network && known_key(kNetworkOptions, key)) {
        if (key == "adopt") return "'adopt' belongs to the pod (`pod NAME adopt`), not to one of its interfaces";
        return fmt::format("'{}' is an option of the network: set it where the network is declared", key);
    }
    return {};
}

std::vector<std::string> keys_of(std::span<const OptionSpec> specs) {
    std::vector<std::string> keys;
    for (const OptionSpec& spec : specs) keys.emplace_back(spec.key);
    return keys;
}

void unknown_option(const ast::Option& option, OptionOwner owner, Reporter& reporter, ContextId context) {
    Diagnostic* d = reporter.error(option.key_range, "unknown-option", context,
                                   fmt::format("unknown {} option '{}'", owner_name(owner), option.key));
    if (d == nullptr) return;
    const std::vector<std::string> keys = keys_of(specs_of(owner));
    std::vector<std::string> other_keys;
    for (const OptionOwner other : {OptionOwner::network, OptionOwner::pod, OptionOwner::interface}) {
        if (other == owner || !of_pod_networking(owner)) continue;
        for (std::string& key : keys_of(specs_of(other))) other_keys.push_back(std::move(key));
    }
    std::string note;
    if (std::string hint = elsewhere_hint(owner, option.key); !hint.empty()) {
        note = std::move(hint);
    } else if (const std::string close = closest_match(option.key, keys); !close.empty()) {
        note = fmt::format("did you mean '{}'?", close);
    } else if (const std::string elsewhere = closest_match(option.key, other_keys); !elsewhere.empty()) {
        note = fmt::format("did you mean '{}'? {}", elsewhere, elsewhere_hint(owner, elsewhere));
    } else {
        std::string list;
        for (const std::string& key : keys) list += (list.empty() ? "" : ", ") + key;
        note = fmt::format("the {} options are: {}", owner_name(owner), list);
    }
    d->notes.push_back({SourceRange{}, std::move(note)});
}

}  // namespace

std::span<const OptionSpec> network_options() { return kNetworkOptions; }
std::span<const OptionSpec> interface_options() { return kInterfaceOptions; }

ReadOptions read_options(const std::vector<ast::Option>& options, OptionOwner owner, Expander& expander,
                         Reporter& reporter, ContextId context) {
    const std::span<const OptionSpec> specs = specs_of(owner);
    ReadOptions read;
    read.uses.resize(specs.size());
    for (const ast::Option& option : options) {
        std::size_t index = 0;
        while (index < specs.size() && specs[index].key != option.key) ++index;
        if (index == specs.size()) {
            unknown_option(option, owner, reporter, context);
            continue;
        }
        const OptionSpec& spec = specs[index];
        std::vector<OptionUse>& uses = read.uses[index];
        if (!spec.repeatable && !uses.empty()) {
            if (Diagnostic* d = reporter.error(option.key_range, "option-repeated", context,
                                               fmt::format("option '{}' is given twice", option.key))) {
                d->notes.push_back({uses.front().option->range, "first given here"});
            }
            continue;
        }
        OptionUse use;
        use.option = &option;
        if (spec.flag) {
            if (option.value) {
                const auto text = expander.expand(*option.value);
                if (!text) continue;
                if (*text != "true" && *text != "false") {
                    reporter.error(option.value->range, "flag-value", context,
                                   fmt::format("option '{}' takes no value", option.key));
                    continue;
                }
                use.flag = *text == "true";
            }
        } else if (!option.value) {
            reporter.error(option.range, "option-needs-value", context,
                           fmt::format("option '{}' needs a value", option.key));
            continue;
        } else {
            use.value = expander.locate(*option.value);
        }
        uses.push_back(std::move(use));
    }
    return read;
}

void check_option_modes(ReadOptions& read, std::span<const OptionSpec> specs, ir::Mode mode,
                        std::string_view network, SourceRange mode_range, Reporter& reporter,
                        ContextId context) {
    for (std::size_t index = 0; index < specs.size(); ++index) {
        const OptionSpec& spec = specs[index];
        if ((spec.modes & mode_bit(mode)) != 0) continue;
        for (const OptionUse& use : read.uses[index]) {
            Diagnostic* d = reporter.error(use.option->key_range, "option-mode", context,
                                           fmt::format("option '{}' makes no sense for a {} network",
                                                       spec.key, ir::mode_name(mode)));
            if (d == nullptr) continue;
            d->notes.push_back({mode_range, fmt::format("network '{}' is declared with mode {} here", network,
                                                        ir::mode_name(mode))});
            if (!spec.mode_hint.empty()) d->notes.push_back({SourceRange{}, std::string(spec.mode_hint)});
        }
        read.uses[index].clear();
    }
}

}  // namespace podnetc::lowering
