// The text of an inferred topology: the header comment, one line per network, one
// line (or block) per pod.
#include <fmt/format.h>

#include "compiler/to_pnet/live_to_pnet.hpp"

namespace podnetc::live {
namespace {

std::string interface_options(const InferredInterface& i) {
    std::string out = fmt::format("on {}", i.network);
    for (const auto& a : i.addresses) out += " address " + a.str();
    if (!i.host_veth.empty()) out += " host-veth " + i.host_veth;
    if (i.host_mac) out += " host-mac " + i.host_mac->str();
    if (i.mtu != 0) out += fmt::format(" mtu {}", i.mtu);
    return out;
}

}  // namespace

std::string pnet_declarations(const Inference& inference) {
    std::string out =
        "# Adopted from this node's live state by `podnetc show --as pnet`. Pods (and\n"
        "# bridge networks) are marked `adopt`: applying the file takes the existing\n"
        "# objects over instead of creating them.\n";
    if (inference.networks.empty()) out += "#\n# No bridge, routed or mesh pod networking was found.\n";
    if (!inference.networks.empty()) out += '\n';
    for (const InferredNetwork& n : inference.networks) {
        out += fmt::format("network {} mode {} subnet {}", n.name, ir::mode_name(n.mode), n.subnet.str());
        if (n.mode == ir::Mode::bridge && n.bridge != n.name) out += " bridge " + n.bridge;
        if (n.gateway) out += " gateway " + n.gateway->str();
        if (n.mtu != 0) out += fmt::format(" mtu {}", n.mtu);
        if (n.mode == ir::Mode::bridge) out += " adopt";
        out += '\n';
    }
    if (!inference.pods.empty()) out += '\n';
    for (const InferredPod& p : inference.pods) {
        // Lowering gives the default route to the first bridge/route interface unless told otherwise.
        const InferredInterface* first_named = nullptr;
        for (const auto& i : p.interfaces) {
            if (!i.ifname.empty() && first_named == nullptr) first_named = &i;
        }
        auto flags = [&](const InferredInterface& i) {
            return i.default_route && &i != first_named ? std::string(" default-route") : std::string();
        };
        const bool one_line = p.interfaces.size() == 1 && (p.interfaces[0].ifname.empty() || p.interfaces[0].ifname == "eth0");
        if (one_line) {
            out += fmt::format("pod {} adopt {}{}\n", p.name, interface_options(p.interfaces[0]), flags(p.interfaces[0]));
            continue;
        }
        out += fmt::format("pod {} adopt {{\n", p.name);
        for (const auto& i : p.interfaces) {
            out += fmt::format("  {}{}{}\n", i.ifname.empty() ? "" : i.ifname + " ", interface_options(i), flags(i));
        }
        out += "}\n";
    }
    return out;
}

}  // namespace podnetc::live
