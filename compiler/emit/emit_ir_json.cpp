// `compile --emit json`: the IR for machines (docs/JSON.md). Keys come in a fixed
// order (nlohmann::ordered_json keeps insertion order); every key is always present,
// with null for "not set", so consumers need no existence checks.
#include <nlohmann/json.hpp>

#include "compiler/emit/emit.hpp"

namespace podnetc {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kFormat = "podnetc-ir/1";

template <typename T>
Json or_null(const std::optional<T>& value) {
    return value ? Json(value->str()) : Json(nullptr);
}

Json or_null(const std::string& value) { return value.empty() ? Json(nullptr) : Json(value); }

Json nonzero_or_null(std::uint32_t value) { return value == 0 ? Json(nullptr) : Json(value); }

template <typename T>
Json value_or_null(const std::optional<T>& value) {
    return value ? Json(*value) : Json(nullptr);
}

class JsonWriter {
public:
    explicit JsonWriter(const SourceSet& sources) : sources_(sources) {}

    Json source(SourceRange range) const {
        std::string where = sources_.location(range);
        return where.empty() ? Json(nullptr) : Json(std::move(where));
    }

    Json network(const ir::Network& net) const {
        Json j;
        j["name"] = net.name;
        j["mode"] = ir::mode_name(net.mode);
        j["subnet"] = net.subnet.str();
        j["gateway"] = or_null(net.gateway);
        j["bridge"] = or_null(net.bridge);
        j["mtu"] = nonzero_or_null(net.mtu);
        j["max_pairs"] = nonzero_or_null(net.max_pairs);
        j["adopt"] = net.adopt;
        j["source"] = source(net.range);
        return j;
    }

    Json attachment(const ir::Attachment& at) const {
        Json j;
        j["network"] = at.network;
        j["mode"] = ir::mode_name(at.mode);
        j["ifname"] = or_null(at.ifname);
        Json addresses = Json::array();
        for (const ip::Prefix& address : at.addresses) addresses.push_back(address.str());
        j["addresses"] = std::move(addresses);
        j["host_veth"] = or_null(at.host_veth);
        j["mac"] = or_null(at.mac);
        j["host_mac"] = or_null(at.host_mac);
        j["mtu"] = nonzero_or_null(at.mtu);
        j["default_route"] = at.default_route;
        j["source"] = source(at.range);
        return j;
    }

    Json pod(const ir::Pod& pod) const {
        Json j;
        j["name"] = pod.name;
        j["adopt"] = pod.adopt;
        Json attachments = Json::array();
        for (const ir::Attachment& at : pod.attachments) attachments.push_back(attachment(at));
        j["attachments"] = std::move(attachments);
        j["source"] = source(pod.range);
        return j;
    }

    Json netns(const ir::Namespace& ns) const {
        Json j;
        j["name"] = ns.name;
        j["adopt"] = ns.adopt;
        j["source"] = source(ns.range);
        return j;
    }

    Json link(const ir::Link& link) const {
        const bool veth = link.kind == kernel::kVeth;
        Json j;
        j["netns"] = link.netns;
        j["name"] = link.name;
        j["kind"] = link.kind;
        j["peer_netns"] = veth ? Json(link.peer_netns) : Json(nullptr);
        j["peer_name"] = veth ? Json(link.peer_name) : Json(nullptr);
        j["primary"] = link.primary;
        j["master"] = or_null(link.master);
        j["mac"] = or_null(link.mac);
        j["mtu"] = nonzero_or_null(link.mtu);
        j["up"] = link.up();
        j["proxy_arp"] = value_or_null(link.proxy_arp);
        j["forwarding"] = value_or_null(link.forwarding);
        j["proxy_delay_ms"] = value_or_null(link.proxy_delay_ms);
        j["pod"] = link.pod;
        j["network"] = link.network;
        j["adopt"] = link.adopt;
        j["source"] = source(link.range);
        return j;
    }

    Json address(const ir::Address& address) const {
        Json j;
        j["netns"] = address.netns;
        j["dev"] = address.dev;
        j["local"] = address.local.str();
        j["pod"] = address.pod;
        j["adopt"] = address.adopt;
        j["source"] = source(address.range);
        return j;
    }

    Json route(const ir::Route& route) const {
        Json j;
        j["netns"] = route.netns;
        j["dst"] = route.dst.str();
        j["gateway"] = or_null(route.gateway);
        j["dev"] = route.dev;
        j["scope"] = kernel::route_scope_name(route.scope);
        j["onlink"] = route.onlink();
        j["prefsrc"] = or_null(route.prefsrc);
        j["pod"] = route.pod;
        if (!route.remote_node.empty()) j["pods_of"] = route.remote_node;
        j["adopt"] = route.adopt;
        j["source"] = source(route.range);
        return j;
    }

    Json neighbor(const ir::Neighbor& neighbor) const {
        Json j;
        j["netns"] = neighbor.netns;
        j["dev"] = neighbor.dev;
        j["dst"] = neighbor.dst.str();
        j["lladdr"] = neighbor.lladdr->str();
        j["pod"] = neighbor.pod;
        j["adopt"] = neighbor.adopt;
        j["source"] = source(neighbor.range);
        return j;
    }

private:
    const SourceSet& sources_;
};

template <typename T, typename Convert>
Json array_of(const std::vector<T>& objects, Convert convert) {
    Json array = Json::array();
    for (const T& object : objects) array.push_back(convert(object));
    return array;
}

}  // namespace

std::string emit_ir_json(const ir::NodeIr& node, const SourceSet& sources) {
    const JsonWriter w{sources};
    Json j;
    j["format"] = kFormat;
    j["node"] = node.node;
    if (node.underlay) {
        j["underlay"] = {{"address", node.underlay->address.str()}, {"dev", node.underlay->dev}};
    }
    j["networks"] = array_of(node.networks, [&](const auto& x) { return w.network(x); });
    j["pods"] = array_of(node.pods, [&](const auto& x) { return w.pod(x); });
    j["namespaces"] = array_of(node.namespaces, [&](const auto& x) { return w.netns(x); });
    j["links"] = array_of(node.links, [&](const auto& x) { return w.link(x); });
    j["addresses"] = array_of(node.addresses, [&](const auto& x) { return w.address(x); });
    j["routes"] = array_of(node.routes, [&](const auto& x) { return w.route(x); });
    j["neighbors"] = array_of(node.neighbors, [&](const auto& x) { return w.neighbor(x); });
    // File names need not be UTF-8; replace what is not rather than throw.
    std::string text = j.dump(2, ' ', false, Json::error_handler_t::replace);
    text += '\n';
    return text;
}

}  // namespace podnetc
