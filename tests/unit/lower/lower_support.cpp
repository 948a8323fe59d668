#include "tests/unit/lower/lower_support.hpp"

#include <fmt/format.h>

#include "compiler/lower/lower.hpp"
#include "compiler/syntax/frontend.hpp"

namespace podnetc::test {
namespace {

std::string ns(const std::string& netns) { return netns.empty() ? "host" : netns; }

}  // namespace

std::string Lowered::messages() {
    diagnostics.sort_by_location();
    return render_all(sources, diagnostics);
}

std::string summarize(const SourceSet& sources, Diagnostics& diagnostics) {
    diagnostics.sort_by_location();
    const auto where = [&](SourceRange range) {
        if (!range.known()) return std::string{};
        const LineCol lc = sources.file(range.file).line_col(range.offset);
        return fmt::format("{}:{} ", lc.line, lc.col);
    };
    std::string out;
    for (const Diagnostic& d : diagnostics.all()) {
        out += fmt::format("{}{}: {}\n", where(d.range), d.severity == Severity::error ? "error" : "warning", d.message);
        for (const DiagnosticNote& note : d.notes) out += fmt::format("  {}note: {}\n", where(note.range), note.message);
    }
    return out;
}

std::string Lowered::summary() { return summarize(sources, diagnostics); }

Lowered lower_text(const std::string& text, const std::string& node, bool node_from_hostname) {
    Lowered out;
    const FileId id = out.sources.add("t.pnet", text);
    const ast::File file = parse_pnet(out.sources, id, out.diagnostics);
    out.ir = lower(file, LowerOptions{node, node_from_hostname}, out.diagnostics);
    return out;
}

std::string check_text(const std::string& text) {
    SourceSet sources;
    const FileId id = sources.add("t.pnet", text);
    Diagnostics diagnostics;
    check_all_nodes(parse_pnet(sources, id, diagnostics), diagnostics);
    return summarize(sources, diagnostics);
}

std::string render_kernel(const ir::NodeIr& node) {
    std::string out;
    const auto line = [&](std::string text, const std::string& pod, bool adopt) {
        if (!pod.empty()) text += fmt::format(" pod={}", pod);
        if (adopt) text += " adopt";
        out += text + "\n";
    };
    for (const ir::Namespace& n : node.namespaces) line(fmt::format("netns {}", n.name), "", n.adopt);
    for (const ir::Link& l : node.links) {
        std::string text = fmt::format("link {} {} {}", ns(l.netns), l.name, l.kind);
        if (l.kind == kernel::kVeth) {
            text += fmt::format(" peer {}/{}{}", ns(l.peer_netns), l.peer_name, l.primary ? " primary" : "");
        }
        if (!l.master.empty()) text += " master " + l.master;
        if (l.mac) text += " mac " + l.mac->str();
        if (l.mtu != 0) text += fmt::format(" mtu {}", l.mtu);
        if (!l.up()) text += " down";
        if (l.proxy_arp) text += fmt::format(" proxy_arp={}", *l.proxy_arp ? 1 : 0);
        if (l.forwarding) text += fmt::format(" forwarding={}", *l.forwarding ? 1 : 0);
        if (l.proxy_delay_ms) text += fmt::format(" proxy_delay={}", *l.proxy_delay_ms);
        if (!l.network.empty()) text += " net=" + l.network;
        line(std::move(text), l.pod, l.adopt);
    }
    for (const ir::Address& a : node.addresses) {
        line(fmt::format("addr {} {} {}", ns(a.netns), a.dev, a.local.str()), a.pod, a.adopt);
    }
    for (const ir::Route& r : node.routes) {
        std::string text = fmt::format("route {} {}", ns(r.netns), r.dst.len == 0 ? "default" : r.dst.str());
        if (r.gateway) text += " via " + r.gateway->str();
        text += " dev " + r.dev;
        if (r.scope != kernel::kScopeUniverse) text += fmt::format(" scope {}", kernel::route_scope_name(r.scope));
        if (r.onlink()) text += " onlink";
        if (r.prefsrc) text += " src " + r.prefsrc->str();
        line(std::move(text), r.pod, r.adopt);
    }
    for (const ir::Neighbor& n : node.neighbors) {
        line(fmt::format("neigh {} {} {} lladdr {}", ns(n.netns), n.dev, n.dst.str(), n.lladdr->str()), n.pod, n.adopt);
    }
    return out;
}

std::string render_model(const ir::NodeIr& node) {
    std::string out;
    for (const ir::Network& n : node.networks) {
        out += fmt::format("network {} {} {}", n.name, ir::mode_name(n.mode), n.subnet.str());
        if (n.gateway) out += " gateway " + n.gateway->str();
        if (!n.bridge.empty()) out += " bridge " + n.bridge;
        if (n.mtu != 0) out += fmt::format(" mtu {}", n.mtu);
        if (n.max_pairs != 0) out += fmt::format(" max-pairs {}", n.max_pairs);
        if (n.adopt) out += " adopt";
        out += "\n";
    }
    for (const ir::Pod& p : node.pods) {
        out += fmt::format("pod {}{}\n", p.name, p.adopt ? " adopt" : "");
        for (const ir::Attachment& a : p.attachments) {
            out += fmt::format("  {} on {} ({})", a.ifname.empty() ? "-" : a.ifname, a.network, ir::mode_name(a.mode));
            for (const ip::Prefix& address : a.addresses) out += " " + address.str();
            if (!a.host_veth.empty()) out += " host-veth " + a.host_veth;
            if (a.mac) out += " mac " + a.mac->str();
            if (a.host_mac) out += " host-mac " + a.host_mac->str();
            if (a.mtu != 0) out += fmt::format(" mtu {}", a.mtu);
            if (a.default_route) out += " default-route";
            out += "\n";
        }
    }
    return out;
}

}  // namespace podnetc::test
