// Walk 1 of lowering: network declarations into the model, with the checks that
// need nothing but the network itself.
#include <fmt/format.h>

#include "compiler/lower/lower_model.hpp"
#include "compiler/lower/lower_options.hpp"
#include "compiler/lower/lower_values.hpp"

namespace podnetc::lowering {
namespace {

class NetworkReader {
public:
    NetworkReader(Expander& expander, Reporter& reporter, const Contexts& contexts, Model& model)
        : expander_(expander), reporter_(reporter), contexts_(contexts), model_(model) {}

    void read(const ast::NetworkDecl& decl, bool shared) {
        const ContextId context = expander_.context();
        const auto name = expander_.locate(decl.name);
        ReadOptions options = read_options(decl.options, OptionOwner::network, expander_, reporter_, context);
        if (!name) return;

        NetworkInfo info;
        info.net.name = name->text;
        info.net.range = decl.range;
        info.context = context;
        info.name_range = name->range;
        info.bridge_range = name->range;
        info.shared = shared;
        ValueReader values(reporter_, context);

        read_mode(info, options, values);
        if (info.has_mode) {
            check_option_modes(options, network_options(), info.net.mode, info.net.name, info.mode_range,
                               reporter_, context);
        }
        read_subnet(info, options, values);
        read_gateway(info, options, values);
        if (info.has_mode && info.net.mode == ir::Mode::bridge) read_bridge(info, options);
        if (const OptionUse* use = options.first(NetworkKey::mtu); use && use->value) {
            info.net.mtu = values.mtu(*use->value).value_or(0);
        }
        if (info.has_mode && info.net.mode == ir::Mode::mesh) {
            info.net.max_pairs = ir::kMeshMaxPairsDefault;
            if (const OptionUse* use = options.first(NetworkKey::max_pairs); use && use->value) {
                info.net.max_pairs =
                    values.number(*use->value, "max-pairs", 1, UINT32_MAX).value_or(ir::kMeshMaxPairsDefault);
            }
        }
        info.net.adopt = options.flag(NetworkKey::adopt);

        const auto index = static_cast<std::uint32_t>(model_.networks.size());
        const auto [it, inserted] = model_.network_index.try_emplace(info.net.name, index);
        if (!inserted) {
            const NetworkInfo& first = model_.networks[it->second];
            if (Diagnostic* d = reporter_.error(info.name_range, "network-duplicate", context,
                                                fmt::format("duplicate network '{}'", info.net.name))) {
                d->notes.push_back({first.name_range, "first declared here" + contexts_.suffix(first.context)});
            }
            info.duplicate = true;
        }
        model_.networks.push_back(std::move(info));
    }

private:
    void read_mode(NetworkInfo& info, const ReadOptions& options, ValueReader& values) {
        const OptionUse* use = options.first(NetworkKey::mode);
        if (use == nullptr) {
            if (Diagnostic* d = reporter_.error(info.name_range, "network-no-mode", info.context,
                                                fmt::format("network '{}' has no mode", info.net.name))) {
                d->notes.push_back({SourceRange{}, "add `mode bridge`, `mode route` or `mode mesh`"});
            }
            return;
        }
        if (!use->value) return;
        info.mode_range = use->value->range;
        if (const auto mode = values.mode(*use->value)) {
            info.net.mode = *mode;
            info.has_mode = true;
        }
    }

    void read_subnet(NetworkInfo& info, const ReadOptions& options, ValueReader& values) {
        const OptionUse* use = options.first(NetworkKey::subnet);
        if (use == nullptr) {
            if (Diagnostic* d = reporter_.error(info.name_range, "network-no-subnet", info.context,
                                                fmt::format("network '{}' has no subnet", info.net.name))) {
                d->notes.push_back({SourceRange{}, "add `subnet CIDR`, like `subnet 10.244.1.0/24`"});
            }
            return;
        }
        if (!use->value) return;
        info.subnet_range = use->value->range;
        if (const auto subnet = values.subnet(*use->value)) {
            info.net.subnet = *subnet;
            info.subnet_ok = true;
        }
    }

    void read_gateway(NetworkInfo& info, const ReadOptions& options, ValueReader& values) {
        if (!info.has_mode || info.net.mode == ir::Mode::mesh) return;
        const OptionUse* use = options.first(NetworkKey::gateway);
        if (use == nullptr) {
            if (info.net.mode != ir::Mode::route) return;
            info.net.gateway = ip::Address::parse_v4(ir::kRouteGatewayDefault);
            if (info.subnet_ok) check_default_gateway(info);
            return;
        }
        if (!use->value) return;
        info.gateway_range = use->value->range;
        info.net.gateway = values.address(*use->value, "gateway");
        if (!info.net.gateway || !info.subnet_ok) return;
        const ip::Address gateway = *info.net.gateway;
        const ip::Prefix& subnet = info.net.subnet;
        if (info.net.mode == ir::Mode::bridge && !subnet.contains(gateway)) {
            if (Diagnostic* d = reporter_.error(
                    info.gateway_range, "bridge-gateway-outside", info.context,
                    fmt::format("gateway {} is outside subnet {} of network '{}'", gateway.str(), subnet.str(),
                                info.net.name))) {
                d->notes.push_back({info.subnet_range, "subnet declared here"});
                d->notes.push_back({SourceRange{}, "a bridge's gateway is the bridge's own address on the "
                                                   "pods' segment, so it must lie in the subnet"});
            }
        } else if (info.net.mode == ir::Mode::route && subnet.contains(gateway)) {
            if (Diagnostic* d = reporter_.error(
                    info.gateway_range, "route-gateway-inside", info.context,
                    fmt::format("gateway {} lies inside subnet {} of route network '{}'", gateway.str(),
                                subnet.str(), info.net.name))) {
                d->notes.push_back({info.subnet_range, "subnet declared here"});
                d->notes.push_back({SourceRange{}, fmt::format("a route network's gateway is a next hop "
                                                               "that no pod owns; the default is {}",
                                                               ir::kRouteGatewayDefault)});
            }
        } else if (info.net.mode == ir::Mode::bridge && subnet.len < 31 &&
                   (gateway == subnet.network() || gateway == subnet.last())) {
            reporter_.warning(info.gateway_range, "gateway-network-broadcast", info.context,
                              fmt::format("gateway {} is the {} address of subnet {}", gateway.str(),
                                          gateway == subnet.network() ? "network" : "broadcast",
                                          subnet.str()));
        }
    }

    // The implicit next hop of a route network must lie outside its subnet like a
    // declared one (`subnet 0.0.0.0/0` or `169.254.0.0/16` contain it).
    void check_default_gateway(const NetworkInfo& info) {
        const ip::Address gateway = *info.net.gateway;
        if (!info.net.subnet.contains(gateway)) return;
        if (Diagnostic* d = reporter_.error(
                info.subnet_range, "route-gateway-inside", info.context,
                fmt::format("subnet {} of route network '{}' contains its default gateway {}",
                            info.net.subnet.str(), info.net.name, gateway.str()))) {
            d->notes.push_back({SourceRange{}, "a route network's gateway is a next hop that no pod owns: "
                                               "declare `gateway` with an address outside the subnet"});
        }
    }

    void read_bridge(NetworkInfo& info, const ReadOptions& options) {
        const OptionUse* use = options.first(NetworkKey::bridge);
        if (use != nullptr && !use->value) return;
        const std::string name = use != nullptr ? use->value->text : info.net.name;
        if (use != nullptr) info.bridge_range = use->value->range;
        if (std::string problem = ifname_problem(name); !problem.empty()) {
            if (Diagnostic* d = reporter_.error(info.bridge_range, "bad-ifname", info.context, std::move(problem));
                d != nullptr && use == nullptr) {
                d->notes.push_back({SourceRange{}, "the bridge is named after its network; choose a valid "
                                                   "name with `bridge IFNAME`"});
            }
            return;
        }
        info.net.bridge = name;
        info.bridge_ok = true;
    }

    Expander& expander_;
    Reporter& reporter_;
    const Contexts& contexts_;
    Model& model_;
};

}  // namespace

void read_networks(const ast::File& file, const ast::NodeDecl* node, Expander& expander, Reporter& reporter,
                   const Contexts& contexts, Model& model) {
    NetworkReader reader(expander, reporter, contexts, model);
    Expander::Visitor visitor;
    visitor.network = [&](const ast::NetworkDecl& decl, bool shared) { reader.read(decl, shared); };
    expander.walk(file, node, visitor);
}

}  // namespace podnetc::lowering
