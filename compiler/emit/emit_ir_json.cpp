// `compile --emit json`: the IR for machines (docs/JSON.md). Keys come in a fixed
// order; every key is always present, with null for "not set", so consumers need no
// existence checks. Written with the streaming JsonWriter, like plans and snapshots.
#include "compiler/emit/emit.hpp"
#include "compiler/json/json_writer.hpp"

namespace podnetc {
namespace {

constexpr const char* kFormat = "podnetc-ir/1";

class IrJson {
public:
    IrJson(JsonWriter& w, const SourceSet& sources) : w_(w), sources_(sources) {}

    void network(const ir::Network& net) {
        w_.begin_object();
        w_.key("name").value(net.name);
        w_.key("mode").value(ir::mode_name(net.mode));
        w_.key("subnet").value(net.subnet.str());
        text_or_null("gateway", net.gateway);
        text_or_null("bridge", net.bridge);
        nonzero_or_null("mtu", net.mtu);
        nonzero_or_null("max_pairs", net.max_pairs);
        w_.key("adopt").value(net.adopt);
        source(net.range);
        w_.end_object();
    }

    void attachment(const ir::Attachment& at) {
        w_.begin_object();
        w_.key("network").value(at.network);
        w_.key("mode").value(ir::mode_name(at.mode));
        text_or_null("ifname", at.ifname);
        w_.key("addresses").begin_array();
        for (const ip::Prefix& address : at.addresses) w_.value(address.str());
        w_.end_array();
        text_or_null("host_veth", at.host_veth);
        text_or_null("mac", at.mac);
        text_or_null("host_mac", at.host_mac);
        nonzero_or_null("mtu", at.mtu);
        w_.key("default_route").value(at.default_route);
        source(at.range);
        w_.end_object();
    }

    void pod(const ir::Pod& pod) {
        w_.begin_object();
        w_.key("name").value(pod.name);
        w_.key("adopt").value(pod.adopt);
        w_.key("attachments").begin_array();
        for (const ir::Attachment& at : pod.attachments) attachment(at);
        w_.end_array();
        source(pod.range);
        w_.end_object();
    }

    void netns(const ir::Namespace& ns) {
        w_.begin_object();
        w_.key("name").value(ns.name);
        w_.key("adopt").value(ns.adopt);
        source(ns.range);
        w_.end_object();
    }

    void link(const ir::Link& link) {
        const bool veth = link.kind == kernel::kVeth;
        w_.begin_object();
        w_.key("netns").value(link.netns);
        w_.key("name").value(link.name);
        w_.key("kind").value(link.kind);
        w_.key("peer_netns");
        veth ? w_.value(link.peer_netns) : w_.null();
        w_.key("peer_name");
        veth ? w_.value(link.peer_name) : w_.null();
        w_.key("primary").value(link.primary);
        text_or_null("master", link.master);
        text_or_null("mac", link.mac);
        nonzero_or_null("mtu", link.mtu);
        w_.key("up").value(link.up());
        w_.key("proxy_arp").value(link.proxy_arp);
        w_.key("forwarding").value(link.forwarding);
        w_.key("proxy_delay_ms").value(link.proxy_delay_ms);
        w_.key("pod").value(link.pod);
        w_.key("network").value(link.network);
        w_.key("adopt").value(link.adopt);
        source(link.range);
        w_.end_object();
    }

    void address(const ir::Address& address) {
        w_.begin_object();
        w_.key("netns").value(address.netns);
        w_.key("dev").value(address.dev);
        w_.key("local").value(address.local.str());
        w_.key("pod").value(address.pod);
        w_.key("adopt").value(address.adopt);
        source(address.range);
        w_.end_object();
    }

    void route(const ir::Route& route) {
        w_.begin_object();
        w_.key("netns").value(route.netns);
        w_.key("dst").value(route.dst.str());
        text_or_null("gateway", route.gateway);
        w_.key("dev").value(route.dev);
        w_.key("scope").value(kernel::route_scope_name(route.scope));
        w_.key("onlink").value(route.onlink());
        text_or_null("prefsrc", route.prefsrc);
        w_.key("pod").value(route.pod);
        if (!route.remote_node.empty()) w_.key("pods_of").value(route.remote_node);
        w_.key("adopt").value(route.adopt);
        source(route.range);
        w_.end_object();
    }

    void neighbor(const ir::Neighbor& neighbor) {
        w_.begin_object();
        w_.key("netns").value(neighbor.netns);
        w_.key("dev").value(neighbor.dev);
        w_.key("dst").value(neighbor.dst.str());
        w_.key("lladdr").value(neighbor.lladdr->str());
        w_.key("pod").value(neighbor.pod);
        w_.key("adopt").value(neighbor.adopt);
        source(neighbor.range);
        w_.end_object();
    }

private:
    // File names need not be UTF-8: shown, not parsed, so what is not becomes U+FFFD.
    void source(SourceRange range) {
        const std::string where = sources_.location(range);
        w_.key("source");
        where.empty() ? w_.null() : w_.value(replace_ill_formed_utf8(where));
    }
    void text_or_null(std::string_view key, const std::string& text) {
        w_.key(key);
        text.empty() ? w_.null() : w_.value(text);
    }
    template <class T>
    void text_or_null(std::string_view key, const std::optional<T>& value) {
        w_.key(key);
        value ? w_.value(value->str()) : w_.null();
    }
    void nonzero_or_null(std::string_view key, std::uint32_t number) {
        w_.key(key);
        number == 0 ? w_.null() : w_.value(number);
    }

    JsonWriter& w_;
    const SourceSet& sources_;
};

template <class T, class Write>
void array_of(JsonWriter& w, std::string_view key, const std::vector<T>& objects, Write write) {
    w.key(key).begin_array();
    for (const T& object : objects) write(object);
    w.end_array();
}

}  // namespace

std::string emit_ir_json(const ir::NodeIr& node, const SourceSet& sources) {
    std::string text;
    JsonWriter w(text);
    IrJson ir(w, sources);
    w.begin_object();
    w.key("format").value(kFormat);
    w.key("node").value(node.node);
    if (node.underlay) {
        w.key("underlay").begin_object();
        w.key("address").value(node.underlay->address.str());
        w.key("dev").value(node.underlay->dev);
        w.end_object();
    }
    array_of(w, "networks", node.networks, [&](const auto& x) { ir.network(x); });
    array_of(w, "pods", node.pods, [&](const auto& x) { ir.pod(x); });
    array_of(w, "namespaces", node.namespaces, [&](const auto& x) { ir.netns(x); });
    array_of(w, "links", node.links, [&](const auto& x) { ir.link(x); });
    array_of(w, "addresses", node.addresses, [&](const auto& x) { ir.address(x); });
    array_of(w, "routes", node.routes, [&](const auto& x) { ir.route(x); });
    array_of(w, "neighbors", node.neighbors, [&](const auto& x) { ir.neighbor(x); });
    w.end_object();
    text += '\n';
    return text;
}

}  // namespace podnetc
