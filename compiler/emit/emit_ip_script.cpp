// `compile --emit ip`: a bash script of iproute2 commands that builds the node from
// scratch, readable like the reference article's commands, one section per pod.
//
// Every command was checked against iproute2 6.1:
//  - pod ends of veths are created directly in the pod's namespace (`peer name eth0
//    netns pod-1`), so a host that already has an eth0 is no problem;
//  - everything inside a pod goes through `ip -n POD`, not `ip netns exec` (a fork
//    per command), except writing /proc/sys, which needs the namespace's own /proc;
//  - names follow the keywords `name` / `dev`, because iproute2 takes a bare word
//    that abbreviates a keyword ("a", "up", "mtu") as that keyword;
//  - ownership markers: `group 20558` on every link (both veth ends), `proto 176` on
//    routes, `protocol 176` on neighbours, the registry file for namespaces.
//    Addresses get `proto 176` only where iproute2 knows it (6.1 does not, later
//    versions do): the script asks `ip address help` once.
#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include <fmt/format.h>

#include "compiler/emit/emit.hpp"
#include "compiler/base/text_format.hpp"
#include "compiler/emit/emit_common.hpp"
#include "compiler/objects/ownership.hpp"

namespace podnetc {
namespace {

using Out = std::back_insert_iterator<std::string>;

bool is_shell_safe(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view{"_-.:/@%+=,"}.find(c) != std::string_view::npos;
}

// A word as bash reads it back unchanged: as is when that is safe, else single-quoted.
std::string quote(std::string_view word) {
    if (!word.empty() && std::all_of(word.begin(), word.end(), is_shell_safe)) return std::string{word};
    std::string quoted = "'";
    for (const char c : word) {
        if (c == '\'') {
            quoted += "'\\''";
        } else {
            quoted += c;
        }
    }
    quoted += "'";
    return quoted;
}

// The namespace's registry file, "$state_dir/netns/NAME", quoted for bash.
std::string registry_file(std::string_view netns) {
    const std::string name = quote(netns);
    if (name == netns) return fmt::format("\"$state_dir/netns/{}\"", netns);  // nothing special inside "…"
    return fmt::format("\"$state_dir/netns/\"{}", name);
}

// `ip`, or `ip -n POD` for an object inside a pod's namespace.
std::string ip_in(std::string_view netns) {
    if (netns == ir::kHostNetns) return "ip";
    return fmt::format("ip -n {}", quote(netns));
}

// A section's objects with those inside the pod first, then those on the host.
template <typename T>
std::vector<const T*> pod_side_first(std::vector<const T*> objects, std::string_view pod) {
    std::stable_partition(objects.begin(), objects.end(), [&](const T* o) { return o->netns == pod; });
    return objects;
}

// The routes of one section, pod side first, in an order the kernel accepts: a
// gateway must be reachable when its route is added, so in each namespace the
// routes without one (or onlink) come first.
std::vector<const ir::Route*> in_add_order(std::vector<const ir::Route*> routes, std::string_view pod) {
    const auto rank = [&](const ir::Route* r) {
        return std::pair{r->netns != pod, r->gateway.has_value() && !r->onlink()};
    };
    std::stable_sort(routes.begin(), routes.end(), [&](const auto* a, const auto* b) { return rank(a) < rank(b); });
    return routes;
}

using LinkKey = std::pair<std::string, std::string>;

LinkKey key_of(const ir::Link& link) { return {link.netns, link.name}; }

class ScriptWriter {
public:
    explicit ScriptWriter(const ir::NodeIr& node) : node_(node), links_(node) {}

    std::string write() {
        header();
        namespaces();
        const auto links = emit::group_by(node_.links, &ir::Link::pod);
        const auto addresses = emit::group_by(node_.addresses, &ir::Address::pod);
        const auto neighbors = emit::group_by(node_.neighbors, &ir::Neighbor::pod);
        const auto routes = emit::group_by(node_.routes, &ir::Route::pod);
        const auto section = [&](std::string_view pod) {
            for (const ir::Link* link : emit::group_of(links, pod)) this->link(*link);
            for (const ir::Address* address : pod_side_first(emit::group_of(addresses, pod), pod)) {
                this->address(*address);
            }
            for (const ir::Neighbor* neighbor : pod_side_first(emit::group_of(neighbors, pod), pod)) {
                this->neighbor(*neighbor);
            }
            for (const ir::Route* route : in_add_order(emit::group_of(routes, pod), pod)) this->route(*route);
        };
        if (links.contains("") || addresses.contains("") || neighbors.contains("") || routes.contains("")) {
            fmt::format_to(out_, "\n# Shared by the pods (bridges and their addresses)\n");
            section("");
        }
        std::map<std::string_view, const ir::Pod*> pods;
        for (const ir::Pod& pod : node_.pods) pods.emplace(pod.name, &pod);
        for (const std::string& pod : emit::pods_in_print_order(node_)) {
            const auto model = pods.find(pod);
            fmt::format_to(out_, "\n# {}\n", model == pods.end() ? pod : pod_summary(*model->second));
            section(pod);
        }
        return std::move(text_);
    }

private:
    void header() {
        std::size_t bridges = 0;
        std::size_t pairs = 0;
        for (const ir::Link& link : node_.links) {
            if (link.kind == kernel::kBridge) ++bridges;
            if (link.kind == kernel::kVeth && link.primary) ++pairs;
        }
        const auto adopted = [](const auto& objects) {
            return std::any_of(objects.begin(), objects.end(), [](const auto& o) { return o.adopt; });
        };
        const bool adopts = adopted(node_.namespaces) || adopted(node_.links) || adopted(node_.addresses) ||
                            adopted(node_.routes) || adopted(node_.neighbors);

        std::vector<std::string> what;
        const auto count = [&](std::size_t n, std::string_view one, std::string_view many) {
            if (n != 0) what.push_back(count_of(n, one, many));
        };
        count(node_.namespaces.size(), "pod namespace", "pod namespaces");
        count(bridges, "bridge", "bridges");
        count(pairs, "veth pair", "veth pairs");
        count(node_.addresses.size(), "address", "addresses");
        count(node_.routes.size(), "route", "routes");
        count(node_.neighbors.size(), "permanent neighbour", "permanent neighbours");
        std::string list = what.empty() ? std::string{"nothing"} : what.back();
        if (what.size() > 1) {
            what.pop_back();
            list = fmt::format("{} and {}", fmt::join(what, ", "), list);
        }

        fmt::format_to(out_, "#!/bin/bash\n");
        if (node_.node.empty()) {
            fmt::format_to(out_, "# Built by podnetc (compile --emit ip) from a single-node topology.\n");
        } else {
            fmt::format_to(out_, "# Built by podnetc (compile --emit ip) for node {}.\n", node_.node);
        }
        fmt::format_to(out_,
                       "# Creates {}.\n"
                       "# Run it as root on a node that has none of these objects yet: it stops at the\n"
                       "# first command that fails and does not undo what it did before.\n",
                       list);
        if (adopts) {
            fmt::format_to(out_, "# Objects the topology adopts may exist already: those are created only when\n"
                                 "# missing, then set as declared.\n");
        }
        fmt::format_to(out_,
                       "# Everything carries podnetc's ownership marks (link group {}, protocol {},\n"
                       "# the namespace registry), so podnetc later knows these objects as its own.\n"
                       "set -euo pipefail\n"
                       "\n"
                       "state_dir=${{PODNETC_STATE_DIR:-{}}}\n"
                       "# Addresses are marked too where iproute2 can (`proto`, newer than 6.1).\n"
                       "addr_proto=()\n"
                       "if [[ $(ip address help 2>&1) == *ADDRPROTO* ]]; then addr_proto=(proto {}); fi\n",
                       kOwnedLinkGroup, kOwnedProtocol, kDefaultStateDir, kOwnedProtocol);
    }

    void namespaces() {
        if (node_.namespaces.empty()) return;
        fmt::format_to(out_, "\n# Pod namespaces, each listed in podnetc's registry\n"
                             "mkdir -p \"$state_dir/netns\"\n");
        for (const ir::Namespace& ns : node_.namespaces) {
            // A namespace podnetc creates has lo up, as a pod's has (CNI's loopback
            // plugin); an adopted one that exists is left as it is.
            if (ns.adopt) {
                fmt::format_to(out_, "if [ ! -e {} ]; then ip netns add {}; {} link set dev lo up; fi\n",
                               quote(fmt::format("/run/netns/{}", ns.name)), quote(ns.name), ip_in(ns.name));
            } else {
                fmt::format_to(out_, "ip netns add {}\n{} link set dev lo up\n", quote(ns.name), ip_in(ns.name));
            }
            fmt::format_to(out_, "touch {}\n", registry_file(ns.name));
        }
    }

    std::string pod_summary(const ir::Pod& pod) const {
        std::vector<std::string> parts;
        for (const ir::Attachment& at : pod.attachments) {
            std::string part = at.ifname.empty() ? std::string{} : at.ifname + " ";
            part += fmt::format("on {} ({})", at.network, ir::mode_name(at.mode));
            for (const ip::Prefix& address : at.addresses) part += " " + address.str();
            if (!at.host_veth.empty()) part += fmt::format(", host end {}", at.host_veth);
            parts.push_back(std::move(part));
        }
        std::string summary = fmt::format("Pod {}", pod.name);
        if (!parts.empty()) summary += fmt::format(": {}", fmt::join(parts, "; "));
        if (pod.adopt) summary += " (adopted)";
        return summary;
    }

    // Whether `a`'s command creates the pair a-b: the host end does if there is one
    // (the root namespace has no name to pass as `netns`), else the primary end.
    static bool creates_pair(const ir::Link& a, const ir::Link& b) {
        const bool a_host = a.netns == ir::kHostNetns;
        const bool b_host = b.netns == ir::kHostNetns;
        if (a_host != b_host) return a_host;
        if (a.primary != b.primary) return a.primary;
        return key_of(a) <= key_of(b);
    }

    // Attributes set at creation: group, MAC, MTU.
    static std::string create_attributes(const ir::Link& link) {
        std::string attrs = fmt::format(" group {}", kOwnedLinkGroup);
        if (link.mac) attrs += fmt::format(" address {}", link.mac->str());
        if (link.mtu != 0) attrs += fmt::format(" mtu {}", link.mtu);
        return attrs;
    }

    // The guard of an adopted link (or pair): create only when missing.
    static std::string unless_exists(const ir::Link& link, bool adopt) {
        if (!adopt) return {};
        return fmt::format("{} link show dev {} >/dev/null 2>&1 || ", ip_in(link.netns), quote(link.name));
    }

    void create_veth_pair(const ir::Link& creator, const ir::Link& peer) {
        // Both ends of a pair exist or neither does: adopting either end means the
        // pair may exist.
        const std::string guard = unless_exists(creator, creator.adopt || peer.adopt);
        std::string command = fmt::format("{}{} link add name {}{}", guard, ip_in(creator.netns),
                                          quote(creator.name), create_attributes(creator));
        if (!creator.master.empty()) command += fmt::format(" master {}", quote(creator.master));
        if (creator.up()) command += " up";
        command += fmt::format(" type veth peer name {}", quote(peer.name));
        if (peer.netns != creator.netns) command += fmt::format(" netns {}", quote(peer.netns));
        // The peer is never created up: IFF_UP in the peer's header is refused
        // (ENOTCONN, see KERNEL-FACTS #1); it is set up on its own below.
        command += create_attributes(peer);
        fmt::format_to(out_, "{}\n", command);
        created_.insert(key_of(creator));
        created_.insert(key_of(peer));
    }

    void create_link(const ir::Link& link) {
        std::string command = fmt::format("{}{} link add name {}{}", unless_exists(link, link.adopt),
                                          ip_in(link.netns), quote(link.name), create_attributes(link));
        if (!link.master.empty()) command += fmt::format(" master {}", quote(link.master));
        if (link.up()) command += " up";
        command += fmt::format(" type {}", link.kind);
        fmt::format_to(out_, "{}\n", command);
        created_.insert(key_of(link));
    }

    // A veth end whose other end the IR does not list: assume a plain, down peer.
    static ir::Link assumed_peer(const ir::Link& link) {
        ir::Link peer;
        peer.netns = link.peer_netns;
        peer.name = link.peer_name;
        peer.peer_netns = link.netns;
        peer.peer_name = link.name;
        peer.flags &= ~kernel::kIffUp;
        return peer;
    }

    void link(const ir::Link& link) {
        // Whether the command that created this link set its master and `up`.
        bool made_by_own_command = true;
        if (link.kind == kernel::kVeth) {
            const ir::Link* listed_peer = links_.peer_of(link);
            const ir::Link peer = listed_peer != nullptr ? *listed_peer : assumed_peer(link);
            made_by_own_command = creates_pair(link, peer);
            if (!created_.contains(key_of(link))) {
                if (made_by_own_command) {
                    create_veth_pair(link, peer);
                } else {
                    create_veth_pair(peer, link);
                }
            }
        } else if (!created_.contains(key_of(link))) {
            create_link(link);
        }
        devconf(link);

        // What creation did not set: for an adopted link everything (it may have
        // existed before), for the second end of a pair its master and `up`.
        std::string settings;
        if (link.adopt) {
            settings = create_attributes(link);
            if (!link.master.empty()) settings += fmt::format(" master {}", quote(link.master));
            settings += link.up() ? " up" : " down";
        } else if (!made_by_own_command) {
            if (!link.master.empty()) settings += fmt::format(" master {}", quote(link.master));
            if (link.up()) settings += " up";
        }
        if (!settings.empty()) {
            fmt::format_to(out_, "{} link set dev {}{}\n", ip_in(link.netns), quote(link.name), settings);
        }
    }

    // Per-device IPv4 settings. proxy_arp and forwarding have no iproute2 command:
    // they are written to the namespace's /proc/sys (never the global ip_forward,
    // whose every write resets each device's forwarding, KERNEL-FACTS #3).
    void devconf(const ir::Link& link) {
        const auto write = [&](std::string_view setting, bool value) {
            const std::string path = quote(fmt::format("/proc/sys/net/ipv4/conf/{}/{}", link.name, setting));
            if (link.netns == ir::kHostNetns) {
                fmt::format_to(out_, "echo {} > {}\n", value ? 1 : 0, path);
            } else {
                fmt::format_to(out_, "echo {} | ip netns exec {} tee {} >/dev/null\n", value ? 1 : 0,
                               quote(link.netns), path);
            }
        };
        if (link.proxy_arp) write("proxy_arp", *link.proxy_arp);
        if (link.forwarding) write("forwarding", *link.forwarding);
        if (link.proxy_delay_ms) {
            fmt::format_to(out_, "{} ntable change name arp_cache dev {} proxy_delay {}\n", ip_in(link.netns),
                           quote(link.name), *link.proxy_delay_ms);
        }
    }

    void address(const ir::Address& address) {
        fmt::format_to(out_, "{} address {} {} dev {} \"${{addr_proto[@]}}\"\n", ip_in(address.netns),
                       address.adopt ? "replace" : "add", address.local.str(), quote(address.dev));
    }

    void neighbor(const ir::Neighbor& neighbor) {
        fmt::format_to(out_, "{} neigh {} {} lladdr {} dev {} nud permanent protocol {}\n", ip_in(neighbor.netns),
                       neighbor.adopt ? "replace" : "add", neighbor.dst.str(), neighbor.lladdr->str(),
                       quote(neighbor.dev), kOwnedProtocol);
    }

    void route(const ir::Route& route) {
        std::string command = fmt::format("{} route {} {}", ip_in(route.netns), route.adopt ? "replace" : "add",
                                          emit::route_destination(route.dst));
        if (route.gateway) command += fmt::format(" via {}", route.gateway->str());
        command += fmt::format(" dev {}", quote(route.dev));
        // Without a gateway iproute2 would pick scope link on its own: say it.
        if (route.scope != kernel::kScopeUniverse || !route.gateway) {
            command += fmt::format(" scope {}", kernel::route_scope_name(route.scope));
        }
        if (route.onlink()) command += " onlink";
        if (route.prefsrc) command += fmt::format(" src {}", route.prefsrc->str());
        command += fmt::format(" proto {}", kOwnedProtocol);
        fmt::format_to(out_, "{}\n", command);
    }

    const ir::NodeIr& node_;
    emit::LinkIndex links_;
    std::set<LinkKey> created_;
    std::string text_;
    Out out_{text_};
};

}  // namespace

std::string emit_ip_script(const ir::NodeIr& node) { return ScriptWriter{node}.write(); }

}  // namespace podnetc
