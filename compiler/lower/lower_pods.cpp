// Walk 2 of lowering: pods and their interfaces into the model, resolved against
// the networks, with the checks that need nothing but the pod and its networks.
#include <algorithm>

#include <fmt/format.h>

#include "compiler/lower/lower_model.hpp"
#include "compiler/lower/lower_options.hpp"
#include "compiler/lower/lower_values.hpp"
#include "compiler/lower/naming.hpp"

namespace podnetc::lowering {
namespace {

class PodReader {
public:
    PodReader(Expander& expander, Reporter& reporter, const Contexts& contexts, Model& model,
              const std::vector<std::string>& broken_networks)
        : expander_(expander),
          reporter_(reporter),
          contexts_(contexts),
          model_(model),
          broken_networks_(broken_networks) {}

    void read(const ast::PodDecl& decl) {
        const ContextId context = expander_.context();
        const auto name = expander_.locate(decl.name);
        const ReadOptions options = read_options(decl.options, OptionOwner::pod, expander_, reporter_, context);

        PodInfo info;
        info.context = context;
        info.pod.range = decl.range;
        info.pod.adopt = options.flag(PodKey::adopt);
        if (name) {
            info.pod.name = name->text;
            info.name_range = name->range;
        }
        info.pod.attachments.reserve(decl.interfaces.size());
        info.attachments.reserve(decl.interfaces.size());
        for (const ast::InterfaceDecl& interface : decl.interfaces) read_interface(interface, info);
        if (!name) return;

        if (std::string problem = netns_name_problem(info.pod.name); !problem.empty()) {
            if (Diagnostic* d = reporter_.error(info.name_range, "bad-pod-name", context, std::move(problem))) {
                d->notes.push_back({SourceRange{}, "a pod's name is the name of its network namespace"});
            }
        }
        if (decl.interfaces.empty()) {
            if (Diagnostic* d = reporter_.warning(info.name_range, "pod-no-interfaces", context,
                                                  fmt::format("pod '{}' has no interfaces", info.pod.name))) {
                d->notes.push_back({SourceRange{}, "it gets a network namespace with only `lo`; attach it "
                                                   "with `on NETWORK address ADDR`"});
            }
        }
        name_interfaces(info);
        check_interface_names(info);
        choose_default_route(info);
        check_mesh_twice(info);

        const auto index = static_cast<std::uint32_t>(model_.pods.size());
        const auto [it, inserted] = model_.pod_index.try_emplace(info.pod.name, index);
        if (!inserted) {
            const PodInfo& first = model_.pods[it->second];
            if (Diagnostic* d = reporter_.error(info.name_range, "pod-duplicate", context,
                                                fmt::format("duplicate pod '{}'", info.pod.name))) {
                d->notes.push_back({first.name_range, "first declared here" + contexts_.suffix(first.context)});
            }
            info.duplicate = true;
        } else {
            for (std::uint32_t a = 0; a < info.attachments.size(); ++a) {
                auto& members = model_.networks[info.attachments[a].network].members;
                info.attachments[a].member = static_cast<std::uint32_t>(members.size());
                members.push_back(Member{index, a});
            }
        }
        model_.pods.push_back(std::move(info));
    }

private:
    // Values are parsed even when the network is unknown or broken, so that their
    // own mistakes are reported in the same run; the interface is then dropped.
    void read_interface(const ast::InterfaceDecl& decl, PodInfo& info) {
        const ContextId context = info.context;
        const auto network_name = expander_.locate(decl.network);
        ReadOptions options = read_options(decl.options, OptionOwner::interface, expander_, reporter_, context);
        NetworkInfo* network = nullptr;
        std::uint32_t index = kNone;
        if (network_name) {
            const auto found = model_.network_index.find(network_name->text);
            if (found == model_.network_index.end()) {
                // A network with a syntax error of its own was reported there already.
                if (std::find(broken_networks_.begin(), broken_networks_.end(), network_name->text) ==
                    broken_networks_.end()) {
                    unknown_network(*network_name, context);
                }
            } else {
                index = found->second;
                network = &model_.networks[index];
                network->referenced = true;
            }
        }
        const bool usable = network != nullptr && network->has_mode;
        const ir::Mode mode = usable ? network->net.mode : ir::Mode::bridge;
        if (usable) {
            check_option_modes(options, interface_options(), mode, network->net.name, network->mode_range, reporter_,
                               context);
        }
        ValueReader values(reporter_, context);

        ir::Attachment attachment;
        AttachmentInfo extra;
        attachment.mode = mode;
        attachment.range = decl.range;
        extra.network = index;
        extra.name_range = decl.range;
        extra.host_veth_range = decl.range;

        if (decl.name) read_interface_name(*decl.name, usable ? network : nullptr, attachment, extra, context);
        read_addresses(decl, options, usable ? network : nullptr, values, attachment, extra, context);

        if (const OptionUse* use = options.first(InterfaceKey::host_veth); use && use->value) {
            if (auto name = values.ifname(*use->value)) attachment.host_veth = std::move(*name);
            extra.host_veth_given = true;
            extra.host_veth_range = use->value->range;
        }
        if (const OptionUse* use = options.first(InterfaceKey::mac); use && use->value) {
            attachment.mac = values.mac(*use->value, "mac");
        }
        if (const OptionUse* use = options.first(InterfaceKey::host_mac); use && use->value) {
            attachment.host_mac = values.mac(*use->value, "host-mac");
        }
        std::optional<std::uint32_t> mtu;
        if (const OptionUse* use = options.first(InterfaceKey::mtu); use && use->value) mtu = values.mtu(*use->value);
        if (const OptionUse* use = options.first(InterfaceKey::default_route); use && use->flag) {
            attachment.default_route = true;
            extra.default_route_range = use->option->key_range;
        }
        if (!usable) return;

        attachment.network = network->net.name;
        attachment.mtu = mtu.value_or(network->net.mtu);
        if (mode == ir::Mode::route && !attachment.host_mac) {
            attachment.host_mac = Mac::parse(ir::kRouteHostMacDefault);
        }
        info.pod.attachments.push_back(std::move(attachment));
        info.attachments.push_back(std::move(extra));
    }

    void unknown_network(const Located& name, ContextId context) {
        Diagnostic* d = reporter_.error(name.range, "unknown-network", context,
                                        fmt::format("unknown network '{}'", name.text));
        if (d == nullptr) return;
        if (network_names_.empty()) {
            for (const NetworkInfo& network : model_.networks) {
                if (!network.duplicate) network_names_.push_back(network.net.name);
            }
        }
        if (const std::string close = closest_match(name.text, network_names_); !close.empty()) {
            d->notes.push_back({SourceRange{}, fmt::format("did you mean '{}'?", close)});
        } else if (network_names_.empty()) {
            d->notes.push_back({SourceRange{}, "this node declares no networks"});
        }
    }

    void read_interface_name(const ast::Word& word, const NetworkInfo* network, ir::Attachment& attachment,
                             AttachmentInfo& extra, ContextId context) {
        if (network != nullptr && network->net.mode == ir::Mode::mesh) {
            if (Diagnostic* d = reporter_.error(word.range, "mesh-ifname", context,
                                                "a mesh interface cannot be named")) {
                d->notes.push_back({SourceRange{}, "a pod gets one interface per peer in a mesh, named after "
                                                   "the peer pod"});
            }
            return;
        }
        const auto name = expander_.locate(word);
        if (!name) return;
        extra.name_range = name->range;
        extra.name_given = true;
        attachment.ifname = name->text;
        if (std::string problem = ifname_problem(name->text); !problem.empty()) {
            reporter_.error(name->range, "bad-ifname", context, std::move(problem));
        } else if (name->text == "lo") {
            reporter_.error(name->range, "ifname-lo", context,
                            "interface name 'lo' is taken by the pod's loopback device");
        }
    }

    // `network` is null when unknown or without mode: then only the syntax is checked.
    void read_addresses(const ast::InterfaceDecl& decl, const ReadOptions& options, const NetworkInfo* network,
                        ValueReader& values, ir::Attachment& attachment, AttachmentInfo& extra,
                        ContextId context) {
        const auto& uses = options[InterfaceKey::address];
        if (uses.empty()) {
            if (network == nullptr) return;
            if (Diagnostic* d = reporter_.error(decl.range, "interface-no-address", context,
                                                fmt::format("interface on network '{}' has no address",
                                                            network->net.name))) {
                d->notes.push_back({SourceRange{}, "add `address ADDR`"});
            }
            return;
        }
        // Pods of a bridge share one L2 segment: they take the subnet's length.
        const bool bridge = network != nullptr && network->net.mode == ir::Mode::bridge;
        const std::uint8_t default_len = bridge && network->subnet_ok ? network->net.subnet.len : 32;
        attachment.addresses.reserve(uses.size());
        extra.address_ranges.reserve(uses.size());
        for (const OptionUse& use : uses) {
            if (!use.value) continue;
            const auto address = values.interface_address(*use.value, default_len);
            if (!address) continue;
            if (network != nullptr) check_in_subnet(*address, use.value->range, *network, context);
            attachment.addresses.push_back(*address);
            extra.address_ranges.push_back(use.value->range);
        }
    }

    void check_in_subnet(const ip::Prefix& address, SourceRange range, const NetworkInfo& network,
                         ContextId context) {
        if (!network.subnet_ok) return;
        const ip::Prefix& subnet = network.net.subnet;
        if (!subnet.contains(address.addr)) {
            if (Diagnostic* d = reporter_.error(range, "address-outside-subnet", context,
                                                fmt::format("address {} is outside subnet {} of network '{}'",
                                                            address.addr.str(), subnet.str(), network.net.name))) {
                d->notes.push_back({network.subnet_range, "subnet declared here"});
            }
        } else if (subnet.len < 31 && (address.addr == subnet.network() || address.addr == subnet.last())) {
            reporter_.warning(range, "address-network-broadcast", context,
                              fmt::format("address {} is the {} address of subnet {}", address.addr.str(),
                                          address.addr == subnet.network() ? "network" : "broadcast",
                                          subnet.str()));
        }
    }

    // eth0, eth1, … for unnamed bridge/route interfaces, skipping names given
    // explicitly; then the host veths that were not named.
    void name_interfaces(PodInfo& info) {
        std::vector<std::string_view> given;
        for (std::size_t a = 0; a < info.attachments.size(); ++a) {
            if (info.attachments[a].name_given) given.push_back(info.pod.attachments[a].ifname);
        }
        std::size_t next = 0;
        for (std::size_t a = 0; a < info.attachments.size(); ++a) {
            ir::Attachment& attachment = info.pod.attachments[a];
            if (attachment.mode == ir::Mode::mesh) continue;
            if (!info.attachments[a].name_given) {
                std::string name;
                do {
                    name = naming::default_ifname(next++);
                } while (std::find(given.begin(), given.end(), name) != given.end());
                attachment.ifname = std::move(name);
            }
            if (!info.attachments[a].host_veth_given) {
                attachment.host_veth = naming::default_host_veth(info.pod.name, attachment.ifname);
            }
        }
    }

    void check_interface_names(const PodInfo& info) {
        const auto& attachments = info.pod.attachments;
        if (attachments.size() < 2) return;
        std::vector<std::uint32_t> order;
        for (std::uint32_t a = 0; a < attachments.size(); ++a) {
            if (attachments[a].mode != ir::Mode::mesh) order.push_back(a);
        }
        std::stable_sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
            return attachments[x].ifname < attachments[y].ifname;
        });
        for (std::size_t i = 1; i < order.size(); ++i) {
            const auto first = order[i - 1];
            const auto again = order[i];
            if (attachments[first].ifname != attachments[again].ifname) continue;
            if (Diagnostic* d = reporter_.error(
                    info.attachments[again].name_range, "interface-duplicate", info.context,
                    fmt::format("duplicate interface '{}' in pod '{}'", attachments[again].ifname,
                                info.pod.name))) {
                d->notes.push_back({info.attachments[first].name_range, "first declared here"});
            }
        }
    }

    void choose_default_route(PodInfo& info) {
        auto& attachments = info.pod.attachments;
        std::size_t chosen = attachments.size();
        for (std::size_t a = 0; a < attachments.size(); ++a) {
            if (!attachments[a].default_route) continue;
            if (chosen == attachments.size()) {
                chosen = a;
                continue;
            }
            attachments[a].default_route = false;
            if (Diagnostic* d = reporter_.error(
                    info.attachments[a].default_route_range, "default-route-twice", info.context,
                    fmt::format("pod '{}' has two default-route interfaces", info.pod.name))) {
                d->notes.push_back({info.attachments[chosen].default_route_range, "the first one is here"});
            }
        }
        if (chosen != attachments.size()) return;
        for (ir::Attachment& attachment : attachments) {
            if (attachment.mode != ir::Mode::mesh) {
                attachment.default_route = true;
                return;
            }
        }
    }

    void check_mesh_twice(const PodInfo& info) {
        const auto& attachments = info.pod.attachments;
        for (std::size_t a = 0; a < attachments.size(); ++a) {
            if (attachments[a].mode != ir::Mode::mesh) continue;
            for (std::size_t b = 0; b < a; ++b) {
                if (info.attachments[b].network != info.attachments[a].network) continue;
                if (Diagnostic* d = reporter_.error(
                        attachments[a].range, "mesh-twice", info.context,
                        fmt::format("pod '{}' joins mesh '{}' twice", info.pod.name, attachments[a].network))) {
                    d->notes.push_back({attachments[b].range, "first joined here"});
                    d->notes.push_back({SourceRange{}, "give all its addresses in one interface line"});
                }
                break;
            }
        }
    }

    Expander& expander_;
    Reporter& reporter_;
    const Contexts& contexts_;
    Model& model_;
    const std::vector<std::string>& broken_networks_;
    std::vector<std::string> network_names_;  // for "did you mean", built on first use
};

// How many pod declarations a walk will see, to size tables once (an estimate:
// capped, and blind to errors that stop a loop).
std::uint64_t count_pods(const std::vector<ast::Decl>& decls, const ast::NodeDecl* node, bool top_level) {
    constexpr std::uint64_t kCap = 1u << 22;
    std::uint64_t count = 0;
    for (const ast::Decl& decl : decls) {
        if (std::holds_alternative<ast::PodDecl>(decl.node)) {
            ++count;
        } else if (const auto* loop = std::get_if<ast::ForDecl>(&decl.node)) {
            if (loop->first < 0 || loop->last < loop->first) continue;
            const auto iterations = static_cast<std::uint64_t>(loop->last - loop->first) + 1;
            count += std::min(kCap, iterations) * count_pods(loop->body, nullptr, false);
        } else if (const auto* block = std::get_if<ast::NodeDecl>(&decl.node); block && top_level && block == node) {
            count += count_pods(block->body, nullptr, false);
        }
        count = std::min(count, kCap);
    }
    return count;
}

}  // namespace

void read_pods(const ast::File& file, const ast::NodeDecl* node, Expander& expander, Reporter& reporter,
               const Contexts& contexts, Model& model) {
    const std::uint64_t pods = count_pods(file.decls, node, true);
    model.pods.reserve(pods);
    model.pod_index.reserve(pods);
    PodReader reader(expander, reporter, contexts, model, file.broken_networks);
    Expander::Visitor visitor;
    visitor.pod = [&](const ast::PodDecl& decl, bool) { reader.read(decl); };
    expander.walk(file, node, visitor);
}

}  // namespace podnetc::lowering
