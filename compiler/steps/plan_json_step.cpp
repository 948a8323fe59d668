#include "compiler/steps/plan_json_step.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace podnetc::plan {
namespace {

using json = nlohmann::json;

template <class T>
void optional_str(JsonWriter& w, const char* name, const std::optional<T>& v) {
    w.key(name);
    if (v) {
        w.value(v->str());
    } else {
        w.null();
    }
}

void write_end(JsonWriter& w, const LinkEnd& e) {
    w.begin_object();
    w.key("netns").value(e.netns).key("name").value(e.name);
    optional_str(w, "mac", e.mac);
    w.key("mtu").value(e.mtu).key("group").value(e.group);
    w.end_object();
}

void write_object(JsonWriter& w, const Step& step) {
    w.begin_object();
    visit_object(
        [&](const auto& o) {
            using T = std::decay_t<decltype(o)>;
            if constexpr (std::is_same_v<T, NetnsSpec>) {
                w.key("name").value(o.name);
                if (step.kind() == StepKind::create_netns) w.key("lo_up").value(o.lo_up);
            } else if constexpr (std::is_same_v<T, LinkCreate>) {
                w.key("kind").value(o.kind);
                write_end(w.key("end"), o.end);
                if (o.peer) {
                    write_end(w.key("peer"), *o.peer);
                } else {
                    w.key("peer").null();
                }
                w.key("master").value(o.master).key("up").value(o.up);
            } else if constexpr (std::is_same_v<T, LinkChange>) {
                w.key("netns").value(o.netns).key("name").value(o.name);
                w.key("up").value(o.up).key("mtu").value(o.mtu);
                optional_str(w, "mac", o.mac);
                w.key("master").value(o.master).key("group").value(o.group);
                w.key("proxy_arp").value(o.proxy_arp).key("forwarding").value(o.forwarding);
            } else if constexpr (std::is_same_v<T, LinkDelete>) {
                w.key("netns").value(o.netns).key("name").value(o.name).key("group").value(o.group);
            } else if constexpr (std::is_same_v<T, NeighParms>) {
                w.key("netns").value(o.netns).key("dev").value(o.dev).key("proxy_delay_ms").value(o.proxy_delay_ms);
            } else if constexpr (std::is_same_v<T, kernel::Address>) {
                w.key("netns").value(o.netns).key("dev").value(o.dev).key("local").value(o.local.str());
                optional_str(w, "peer", o.peer);
                w.key("scope").value(o.scope).key("protocol").value(o.protocol);
            } else if constexpr (std::is_same_v<T, kernel::Route>) {
                w.key("netns").value(o.netns).key("table").value(o.table).key("dst").value(o.dst.str());
                optional_str(w, "gateway", o.gateway);
                w.key("dev").value(o.dev).key("scope").value(o.scope).key("protocol").value(o.protocol);
                w.key("type").value(o.type).key("onlink").value(o.onlink());
                optional_str(w, "prefsrc", o.prefsrc);
                w.key("metric").value(o.metric);
            } else {
                w.key("netns").value(o.netns).key("dev").value(o.dev).key("dst").value(o.dst.str());
                optional_str(w, "lladdr", o.lladdr);
                w.key("state").value(o.state).key("protocol").value(o.protocol);
            }
        },
        step);
    w.end_object();
}

// ---- reading ----------------------------------------------------------------

[[noreturn]] void fail(std::string_view what) { throw std::runtime_error(std::string(what)); }

// In a step's object, a missing field is what an object of another kind shows.
struct MissingField : std::runtime_error {
    using std::runtime_error::runtime_error;
};

const json& field(const json& j, const char* name) {
    if (!j.is_object() || !j.contains(name)) throw MissingField(fmt::format("missing field '{}'", name));
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

ip::Prefix prefix_field(const json& j, const char* name) {
    const auto v = ip::Prefix::parse(str(j, name));
    if (!v) fail(fmt::format("field '{}' is not a valid prefix", name));
    return *v;
}

LinkEnd end_from_json(const json& j) {
    return LinkEnd{str(j, "netns"), str(j, "name"), nullable<Mac>(j, "mac", parsed<Mac>),
                   number<std::uint32_t>(j, "mtu"), number<std::uint32_t>(j, "group")};
}

std::string link_kind(const std::string& name) {
    if (name == kernel::kVeth || name == kernel::kBridge) return name;
    fail(fmt::format("unknown link kind '{}'", name));
}

StepKind step_kind(const std::string& name) {
    for (int k = 0; k <= static_cast<int>(StepKind::delete_neighbor); ++k) {
        if (step_kind_name(static_cast<StepKind>(k)) == name) return static_cast<StepKind>(k);
    }
    fail(fmt::format("unknown step kind '{}'", name));
}

// ---- one reader per object type ----

NetnsSpec netns_from_json(const json& o) { return NetnsSpec{str(o, "name")}; }

NetnsSpec created_netns_from_json(const json& o) {
    // Written before `lo_up` existed (a journal left by an older podnetc):
    // its create_netns left lo down, and its inverses count on that.
    return NetnsSpec{str(o, "name"), o.is_object() && o.contains("lo_up") && boolean(o, "lo_up")};
}

LinkCreate link_create_from_json(const json& o) {
    LinkCreate c;
    c.kind = link_kind(str(o, "kind"));
    c.end = end_from_json(field(o, "end"));
    if (!field(o, "peer").is_null()) c.peer = end_from_json(o.at("peer"));
    c.master = str(o, "master");
    c.up = boolean(o, "up");
    return c;
}

LinkChange link_change_from_json(const json& o) {
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

LinkDelete link_delete_from_json(const json& o) {
    return LinkDelete{str(o, "netns"), str(o, "name"), nullable<std::uint32_t>(o, "group", number<std::uint32_t>)};
}

NeighParms neigh_parms_from_json(const json& o) {
    return NeighParms{str(o, "netns"), str(o, "dev"), number<std::uint32_t>(o, "proxy_delay_ms")};
}

kernel::Address address_from_json(const json& o) {
    return kernel::Address{.netns = str(o, "netns"), .dev = str(o, "dev"), .local = prefix_field(o, "local"), .peer = nullable<ip::Address>(o, "peer", parsed<ip::Address>), .scope = number<std::uint8_t>(o, "scope"), .protocol = number<std::uint8_t>(o, "protocol")};
}

kernel::Route route_from_json(const json& o) {
    kernel::Route r;
    r.netns = str(o, "netns");
    r.table = number<std::uint32_t>(o, "table");
    r.dst = prefix_field(o, "dst");
    r.gateway = nullable<ip::Address>(o, "gateway", parsed<ip::Address>);
    r.dev = str(o, "dev");
    r.scope = number<std::uint8_t>(o, "scope");
    r.protocol = number<std::uint8_t>(o, "protocol");
    r.type = number<std::uint8_t>(o, "type");
    if (boolean(o, "onlink")) r.flags |= kOnlink;
    r.prefsrc = nullable<ip::Address>(o, "prefsrc", parsed<ip::Address>);
    r.metric = number<std::uint32_t>(o, "metric");
    return r;
}

kernel::Neighbor neighbor_from_json(const json& o) {
    return kernel::Neighbor{.netns = str(o, "netns"), .dev = str(o, "dev"), .dst = parsed<ip::Address>(o, "dst"), .lladdr = nullable<Mac>(o, "lladdr", parsed<Mac>), .state = number<std::uint16_t>(o, "state"), .protocol = number<std::uint8_t>(o, "protocol")};
}

template <class Object>
constexpr std::string_view object_noun() {
    if constexpr (std::is_same_v<Object, NetnsSpec>) return "a namespace";
    if constexpr (std::is_same_v<Object, LinkCreate>) return "a new link";
    if constexpr (std::is_same_v<Object, LinkChange>) return "a link change";
    if constexpr (std::is_same_v<Object, LinkDelete>) return "a link deletion";
    if constexpr (std::is_same_v<Object, NeighParms>) return "neighbour-table parameters";
    if constexpr (std::is_same_v<Object, kernel::Address>) return "an address";
    if constexpr (std::is_same_v<Object, kernel::Route>) return "a route";
    if constexpr (std::is_same_v<Object, kernel::Neighbor>) return "a neighbor";
}

// A step of alternative T, its object read by `read`; an object of another type
// (a route under add_address) is refused naming the kind and what it expected.
template <class T, class Read>
Step typed(const json& o, Read read) {
    try {
        return T{read(o)};
    } catch (const MissingField& e) {
        fail(fmt::format("{} step: its object is not {} ({})", step_kind_name(T::kind),
                         object_noun<typename T::object_type>(), e.what()));
    }
}

// The one place a kind comes from text: each kind names its alternative and the
// reader of the object that alternative carries.
Step typed_from_json(StepKind kind, const json& o) {
    switch (kind) {
        case StepKind::create_netns: return typed<CreateNetns>(o, created_netns_from_json);
        case StepKind::delete_netns: return typed<DeleteNetns>(o, netns_from_json);
        case StepKind::register_netns: return typed<RegisterNetns>(o, netns_from_json);
        case StepKind::unregister_netns: return typed<UnregisterNetns>(o, netns_from_json);
        case StepKind::create_link: return typed<CreateLink>(o, link_create_from_json);
        case StepKind::change_link: return typed<ChangeLink>(o, link_change_from_json);
        case StepKind::delete_link: return typed<DeleteLink>(o, link_delete_from_json);
        case StepKind::set_neigh_parms: return typed<SetNeighParms>(o, neigh_parms_from_json);
        case StepKind::add_address: return typed<AddAddress>(o, address_from_json);
        case StepKind::replace_address: return typed<ReplaceAddress>(o, address_from_json);
        case StepKind::delete_address: return typed<DeleteAddress>(o, address_from_json);
        case StepKind::add_route: return typed<AddRoute>(o, route_from_json);
        case StepKind::replace_route: return typed<ReplaceRoute>(o, route_from_json);
        case StepKind::delete_route: return typed<DeleteRoute>(o, route_from_json);
        case StepKind::add_neighbor: return typed<AddNeighbor>(o, neighbor_from_json);
        case StepKind::replace_neighbor: return typed<ReplaceNeighbor>(o, neighbor_from_json);
        case StepKind::delete_neighbor: return typed<DeleteNeighbor>(o, neighbor_from_json);
    }
    fail("unknown step kind");
}

}  // namespace

void write_step(JsonWriter& w, const Step& step) {
    w.begin_object();
    w.key("kind").value(step_kind_name(step.kind())).key("netns").value(step.netns());
    write_object(w.key("object"), step);
    w.end_object();
}

Step step_from_json(const nlohmann::json& j) {
    const StepKind kind = step_kind(str(j, "kind"));
    const Step step = typed_from_json(kind, field(j, "object"));
    // The sending namespace follows from the object; a file that says otherwise is
    // not one podnetc wrote.
    const std::string netns = str(j, "netns");
    if (netns != step.netns()) {
        fail(fmt::format("{} step: 'netns' is \"{}\" but its object is in \"{}\"", step_kind_name(kind), netns,
                         step.netns()));
    }
    return step;
}

}  // namespace podnetc::plan
