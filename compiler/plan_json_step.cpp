#include "compiler/plan_json_step.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace podnetc::plan {
namespace {

using ojson = nlohmann::ordered_json;
using json = nlohmann::json;

template <class T>
ojson optional_str(const std::optional<T>& v) {
    return v ? ojson(v->str()) : ojson(nullptr);
}

template <class T>
ojson optional_value(const std::optional<T>& v) {
    return v ? ojson(*v) : ojson(nullptr);
}

ojson end_to_json(const LinkEnd& e) {
    return ojson{{"netns", e.netns}, {"name", e.name}, {"mac", optional_str(e.mac)}, {"mtu", e.mtu}, {"group", e.group}};
}

ojson object_to_json(const StepObject& object) {
    return std::visit(
        [](const auto& o) -> ojson {
            using T = std::decay_t<decltype(o)>;
            if constexpr (std::is_same_v<T, NetnsSpec>) {
                return ojson{{"name", o.name}};
            } else if constexpr (std::is_same_v<T, LinkCreate>) {
                return ojson{{"kind", ir::link_kind_name(o.kind)},
                             {"end", end_to_json(o.end)},
                             {"peer", o.peer ? end_to_json(*o.peer) : ojson(nullptr)},
                             {"master", o.master},
                             {"up", o.up}};
            } else if constexpr (std::is_same_v<T, LinkChange>) {
                return ojson{{"netns", o.netns},
                             {"name", o.name},
                             {"up", optional_value(o.up)},
                             {"mtu", optional_value(o.mtu)},
                             {"mac", optional_str(o.mac)},
                             {"master", optional_value(o.master)},
                             {"group", optional_value(o.group)},
                             {"proxy_arp", optional_value(o.proxy_arp)},
                             {"forwarding", optional_value(o.forwarding)}};
            } else if constexpr (std::is_same_v<T, LinkDelete>) {
                return ojson{{"netns", o.netns}, {"name", o.name}, {"group", optional_value(o.group)}};
            } else if constexpr (std::is_same_v<T, NeighParms>) {
                return ojson{{"netns", o.netns}, {"dev", o.dev}, {"proxy_delay_ms", o.proxy_delay_ms}};
            } else if constexpr (std::is_same_v<T, AddressSpec>) {
                return ojson{{"netns", o.netns},       {"dev", o.dev},     {"local", o.local.str()},
                             {"peer", optional_str(o.peer)}, {"scope", o.scope}, {"protocol", o.protocol}};
            } else if constexpr (std::is_same_v<T, RouteSpec>) {
                return ojson{{"netns", o.netns},
                             {"table", o.table},
                             {"dst", o.dst.str()},
                             {"gateway", optional_str(o.gateway)},
                             {"dev", o.dev},
                             {"scope", o.scope},
                             {"protocol", o.protocol},
                             {"type", o.type},
                             {"onlink", o.onlink},
                             {"prefsrc", optional_str(o.prefsrc)},
                             {"metric", o.metric}};
            } else {
                return ojson{{"netns", o.netns},          {"dev", o.dev},     {"dst", o.dst.str()},
                             {"lladdr", optional_str(o.lladdr)}, {"state", o.state}, {"protocol", o.protocol}};
            }
        },
        object);
}

// ---- reading ----------------------------------------------------------------

[[noreturn]] void fail(std::string_view what) { throw std::runtime_error(std::string(what)); }

const json& field(const json& j, const char* name) {
    if (!j.is_object() || !j.contains(name)) fail(fmt::format("missing field '{}'", name));
    return j.at(name);
}

std::string str(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_string()) fail(fmt::format("field '{}' must be a string", name));
    return v.get<std::string>();
}

template <class T>
T number(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_number_unsigned()) fail(fmt::format("field '{}' must be an unsigned number", name));
    const auto n = v.get<std::uint64_t>();
    if (n > std::numeric_limits<T>::max()) fail(fmt::format("field '{}' is out of range", name));
    return static_cast<T>(n);
}

bool boolean(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_boolean()) fail(fmt::format("field '{}' must be true or false", name));
    return v.get<bool>();
}

template <class T, class Read>
std::optional<T> nullable(const json& j, const char* name, Read read) {
    if (field(j, name).is_null()) return std::nullopt;
    return read(j, name);
}

template <class T>
T parsed(const json& j, const char* name) {
    const auto v = T::parse(str(j, name));
    if (!v) fail(fmt::format("field '{}' is not a valid {}", name, std::is_same_v<T, Mac> ? "MAC" : "address"));
    return *v;
}

Ipv4Prefix prefix_field(const json& j, const char* name) {
    const auto v = Ipv4Prefix::parse(str(j, name));
    if (!v) fail(fmt::format("field '{}' is not a valid prefix", name));
    return *v;
}

LinkEnd end_from_json(const json& j) {
    return LinkEnd{str(j, "netns"), str(j, "name"), nullable<Mac>(j, "mac", parsed<Mac>),
                   number<std::uint32_t>(j, "mtu"), number<std::uint32_t>(j, "group")};
}

ir::LinkKind link_kind(const std::string& name) {
    if (name == "veth") return ir::LinkKind::veth;
    if (name == "bridge") return ir::LinkKind::bridge;
    fail(fmt::format("unknown link kind '{}'", name));
}

StepKind step_kind(const std::string& name) {
    for (int k = 0; k <= static_cast<int>(StepKind::delete_neighbor); ++k) {
        if (step_kind_name(static_cast<StepKind>(k)) == name) return static_cast<StepKind>(k);
    }
    fail(fmt::format("unknown step kind '{}'", name));
}

StepObject object_from_json(StepKind kind, const json& o) {
    switch (kind) {
        case StepKind::create_netns:
        case StepKind::delete_netns:
        case StepKind::register_netns:
        case StepKind::unregister_netns: return NetnsSpec{str(o, "name")};
        case StepKind::create_link: {
            LinkCreate c;
            c.kind = link_kind(str(o, "kind"));
            c.end = end_from_json(field(o, "end"));
            if (!field(o, "peer").is_null()) c.peer = end_from_json(o.at("peer"));
            c.master = str(o, "master");
            c.up = boolean(o, "up");
            return c;
        }
        case StepKind::change_link: {
            LinkChange c;
            c.netns = str(o, "netns");
            c.name = str(o, "name");
            c.up = nullable<bool>(o, "up", boolean);
            c.mtu = nullable<std::uint32_t>(o, "mtu", number<std::uint32_t>);
            c.mac = nullable<Mac>(o, "mac", parsed<Mac>);
            c.master = nullable<std::string>(o, "master", str);
            c.group = nullable<std::uint32_t>(o, "group", number<std::uint32_t>);
            c.proxy_arp = nullable<bool>(o, "proxy_arp", boolean);
            c.forwarding = nullable<bool>(o, "forwarding", boolean);
            return c;
        }
        case StepKind::delete_link:
            return LinkDelete{str(o, "netns"), str(o, "name"), nullable<std::uint32_t>(o, "group", number<std::uint32_t>)};
        case StepKind::set_neigh_parms:
            return NeighParms{str(o, "netns"), str(o, "dev"), number<std::uint32_t>(o, "proxy_delay_ms")};
        case StepKind::add_address:
        case StepKind::replace_address:
        case StepKind::delete_address:
            return AddressSpec{str(o, "netns"), str(o, "dev"), prefix_field(o, "local"), nullable<Ipv4>(o, "peer", parsed<Ipv4>),
                               number<std::uint8_t>(o, "scope"), number<std::uint8_t>(o, "protocol")};
        case StepKind::add_route:
        case StepKind::replace_route:
        case StepKind::delete_route: {
            RouteSpec r;
            r.netns = str(o, "netns");
            r.table = number<std::uint32_t>(o, "table");
            r.dst = prefix_field(o, "dst");
            r.gateway = nullable<Ipv4>(o, "gateway", parsed<Ipv4>);
            r.dev = str(o, "dev");
            r.scope = number<std::uint8_t>(o, "scope");
            r.protocol = number<std::uint8_t>(o, "protocol");
            r.type = number<std::uint8_t>(o, "type");
            r.onlink = boolean(o, "onlink");
            r.prefsrc = nullable<Ipv4>(o, "prefsrc", parsed<Ipv4>);
            r.metric = number<std::uint32_t>(o, "metric");
            return r;
        }
        case StepKind::add_neighbor:
        case StepKind::replace_neighbor:
        case StepKind::delete_neighbor:
            return NeighborSpec{str(o, "netns"), str(o, "dev"), parsed<Ipv4>(o, "dst"), nullable<Mac>(o, "lladdr", parsed<Mac>),
                                number<std::uint16_t>(o, "state"), number<std::uint8_t>(o, "protocol")};
    }
    fail("unknown step kind");
}

}  // namespace

nlohmann::ordered_json step_to_json(const Step& step) {
    return ojson{{"kind", step_kind_name(step.kind)}, {"netns", step.netns}, {"object", object_to_json(step.object)}};
}

Step step_from_json(const nlohmann::json& j) {
    const StepKind kind = step_kind(str(j, "kind"));
    return Step{kind, str(j, "netns"), object_from_json(kind, field(j, "object"))};
}

}  // namespace podnetc::plan
