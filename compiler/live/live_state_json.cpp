#include "compiler/json/json_bytes.hpp"
#include "compiler/live/live_state_json.hpp"

#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/json/json_writer.hpp"
#include "compiler/objects/kernel_names.hpp"
#include "compiler/live/live_state_sort.hpp"
#include "compiler/objects/ownership.hpp"

namespace podnetc::live {

using namespace podnetc::kernel;  // the names of the kernel's numbers
namespace {

// ---- writing ----------------------------------------------------------------
// Layout: containers are expanded down to the lists of objects; each object of a
// list (a link, a route, …) is one line, so that a diff shows one line per change.

constexpr auto kLine = JsonWriter::Layout::line;

void flag_list(JsonWriter& w, std::uint32_t flags, std::span<const NamedValue> table) {
    w.begin_array();
    for (const std::string& name : flags_to_names(flags, table)) w.value(name);
    w.end_array();
}

// Numbers whose names are not universal (protocols) are written as the number plus
// the name where one is known; enumerations with fixed names as the name.
void put_protocol(JsonWriter& w, std::uint8_t protocol, std::span<const NamedValue> names) {
    w.key("protocol").value(protocol);
    if (const auto name = value_name(protocol, names); !name.empty()) w.key("protocol_name").value(name);
}

void enum_value(JsonWriter& w, std::uint32_t value, std::span<const NamedValue> names) {
    const auto name = value_name(value, names);
    if (name.empty()) {
        w.value(value);
    } else {
        w.value(name);
    }
}

void write_link(JsonWriter& w, const Link& link) {
    w.begin_object(kLine);
    w.key("name").value(link.name);
    if (link.ifindex != 0) w.key("ifindex").value(link.ifindex);
    if (!link.kind.empty()) w.key("kind").value(link.kind);
    if (!link.peer_netns.empty() || !link.peer_name.empty()) {
        w.key("peer").begin_object().key("netns").value(link.peer_netns).key("name").value(link.peer_name).end_object();
    }
    if (!link.master.empty()) w.key("master").value(link.master);
    if (link.mac) w.key("mac").value(link.mac->str());
    w.key("mtu").value(link.mtu);
    flag_list(w.key("flags"), link.flags, link_flag_names());
    enum_value(w.key("operstate"), link.operstate, operstate_names());
    if (!link.alias.empty()) w.key("alias").value(link.alias);
    if (link.group != 0) w.key("group").value(link.group);
    w.key("owned").value(is_owned(link));
    if (link.proxy_arp) w.key("proxy_arp").value(*link.proxy_arp);
    if (link.forwarding) w.key("forwarding").value(*link.forwarding);
    if (link.proxy_delay_ms) w.key("proxy_delay_ms").value(*link.proxy_delay_ms);
    if (link.bridge_port) {
        const BridgePort& port = *link.bridge_port;
        w.key("bridge_port").begin_object();
        enum_value(w.key("state"), port.state, bridge_port_state_names());
        w.key("hairpin").value(port.hairpin).key("learning").value(port.learning);
        w.key("unicast_flood").value(port.unicast_flood).key("isolated").value(port.isolated);
        w.end_object();
    }
    w.end_object();
}

void write_address(JsonWriter& w, const Address& address) {
    w.begin_object(kLine);
    w.key("dev").value(address.dev);
    if (address.ifindex != 0) w.key("ifindex").value(address.ifindex);
    w.key("local").value(address.local.str());
    if (address.peer) w.key("peer").value(address.peer->str());
    enum_value(w.key("scope"), address.scope, scope_names());
    flag_list(w.key("flags"), address.flags, address_flag_names());
    put_protocol(w, address.protocol, address_protocol_names());
    w.key("owned").value(is_owned(address));
    w.end_object();
}

void write_route(JsonWriter& w, const Route& route) {
    w.begin_object(kLine);
    enum_value(w.key("table"), route.table, route_table_names());
    w.key("dst").value(route.dst.str());
    if (route.gateway) w.key("gateway").value(route.gateway->str());
    if (!route.dev.empty()) w.key("dev").value(route.dev);
    enum_value(w.key("scope"), route.scope, scope_names());
    enum_value(w.key("type"), route.type, route_type_names());
    put_protocol(w, route.protocol, route_protocol_names());
    flag_list(w.key("flags"), route.flags, route_flag_names());
    if (route.prefsrc) w.key("prefsrc").value(route.prefsrc->str());
    w.key("metric").value(route.metric);
    if (!route.nexthops.empty()) {
        w.key("nexthops").begin_array();
        for (const Nexthop& hop : route.nexthops) {
            w.begin_object();
            if (hop.gateway) w.key("gateway").value(hop.gateway->str());
            w.key("dev").value(hop.dev);
            flag_list(w.key("flags"), hop.flags, route_flag_names());
            w.key("weight").value(hop.weight);
            w.end_object();
        }
        w.end_array();
    }
    w.key("owned").value(is_owned(route));
    w.end_object();
}

void write_neighbor(JsonWriter& w, const Neighbor& neighbor) {
    w.begin_object(kLine);
    w.key("dev").value(neighbor.dev);
    w.key("dst").value(neighbor.dst.str());
    if (neighbor.lladdr) w.key("lladdr").value(neighbor.lladdr->str());
    flag_list(w.key("state"), neighbor.state, neighbor_state_names());
    flag_list(w.key("flags"), neighbor.flags, neighbor_flag_names());
    put_protocol(w, neighbor.protocol, route_protocol_names());
    w.key("owned").value(is_owned(neighbor));
    w.end_object();
}

// The objects of one namespace, in the state's (canonical) order.
struct NamespaceEntry {
    bool owned = false;
    std::string unreadable;
    std::vector<const Link*> links;
    std::vector<const Address*> addresses;
    std::vector<const Route*> routes;
    std::vector<const Neighbor*> neighbors;
};

template <class T>
void write_list(JsonWriter& w, const char* name, const std::vector<const T*>& objects,
                void (*write)(JsonWriter&, const T&)) {
    w.key(name).begin_array();
    for (const T* object : objects) write(w, *object);
    w.end_array();
}

// ---- reading ----------------------------------------------------------------

struct SnapshotError {
    std::string message;
};

class Field {
public:
    Field(const nlohmann::json& value, std::string path) : value_(value), path_(std::move(path)) {}

    [[noreturn]] void fail(const std::string& what) const {
        throw SnapshotError{fmt::format("{}: {}", path_.empty() ? "snapshot" : path_, what)};
    }
    const std::string& path() const { return path_; }
    const nlohmann::json& json() const { return value_; }

    Field member(const std::string& key) const {
        return Field(value_.at(key), path_.empty() ? key : path_ + "." + key);
    }
    Field element(std::size_t index) const { return Field(value_.at(index), fmt::format("{}[{}]", path_, index)); }

    void expect_object(std::initializer_list<std::string_view> allowed) const {
        if (!value_.is_object()) fail("expected an object");
        for (const auto& [key, item] : value_.items()) {
            bool known = false;
            for (const auto name : allowed) known = known || name == key;
            if (!known) fail(fmt::format("unknown field \"{}\"", key));
        }
    }
    bool has(const std::string& key) const { return value_.contains(key); }
    Field required(const std::string& key) const {
        if (!has(key)) fail(fmt::format("missing field \"{}\"", key));
        return member(key);
    }

    std::string string() const {
        if (!value_.is_string()) fail("expected a string");
        return value_.get<std::string>();
    }
    bool boolean() const {
        if (!value_.is_boolean()) fail("expected true or false");
        return value_.get<bool>();
    }
    std::uint64_t unsigned_number(std::uint64_t max) const {
        if (!value_.is_number_unsigned() || value_.get<std::uint64_t>() > max) {
            fail(fmt::format("expected a whole number from 0 to {}", max));
        }
        return value_.get<std::uint64_t>();
    }
    std::int32_t ifindex() const { return static_cast<std::int32_t>(unsigned_number(INT32_MAX)); }
    ip::Address ipv4() const {
        const auto parsed = ip::Address::parse_v4(string());
        if (!parsed) fail(fmt::format("\"{}\" is not an IPv4 address", string()));
        return *parsed;
    }
    ip::Prefix prefix() const {
        const std::string text = string();
        if (text == "default") return ip::Prefix{ip::Address::v4(0), 0};
        const auto parsed = ip::Prefix::parse(text);
        if (!parsed) fail(fmt::format("\"{}\" is not an IPv4 prefix like 10.0.0.1/24", text));
        return *parsed;
    }
    Mac mac() const {
        const auto parsed = Mac::parse(string());
        if (!parsed) fail(fmt::format("\"{}\" is not a MAC address like 02:00:0a:0a:01:0a", string()));
        return *parsed;
    }
    // A name from the table or a number.
    std::uint32_t enumerated(std::span<const NamedValue> names, std::uint32_t max) const {
        if (value_.is_number()) return static_cast<std::uint32_t>(unsigned_number(max));
        const std::string text = string();
        const auto value = value_from_name(text, names);
        if (!value || *value > max) fail(fmt::format("unknown value \"{}\"", text));
        return *value;
    }
    std::uint32_t flags(std::span<const NamedValue> names) const {
        if (!value_.is_array()) fail("expected a list of flag names");
        std::vector<std::string> words;
        for (std::size_t i = 0; i < value_.size(); ++i) words.push_back(element(i).string());
        std::string bad;
        const auto flags = names_to_flags(words, names, bad);
        if (!flags) fail(fmt::format("unknown flag \"{}\"", bad));
        return *flags;
    }
    void for_each(const std::function<void(const Field&)>& visit) const {
        if (!value_.is_array()) fail("expected a list");
        for (std::size_t i = 0; i < value_.size(); ++i) visit(element(i));
    }

private:
    const nlohmann::json& value_;
    std::string path_;
};

std::uint8_t read_protocol(const Field& object, std::span<const NamedValue> names) {
    if (!object.has("protocol")) {
        if (object.has("protocol_name")) object.fail("\"protocol_name\" without \"protocol\"");
        return 0;
    }
    const auto protocol = static_cast<std::uint8_t>(object.member("protocol").enumerated(names, 255));
    if (object.has("protocol_name")) {
        const Field name = object.member("protocol_name");
        if (name.string() != value_name(protocol, names)) {
            name.fail(fmt::format("\"{}\" does not match protocol {} (the name is informational; fix or drop it)",
                                  name.string(), protocol));
        }
    }
    return protocol;
}

// "owned" is derived from the markers; a snapshot may repeat it but not contradict it.
template <class Object>
void check_owned(const Field& object, const Object& value, std::string_view marker) {
    if (!object.has("owned")) return;
    const Field owned = object.member("owned");
    if (owned.boolean() != is_owned(value)) {
        owned.fail(fmt::format("contradicts the object's marker: ownership is {} (fix the marker, or drop \"owned\")",
                               marker));
    }
}

Link read_link(const Field& f, const std::string& netns) {
    f.expect_object({"name", "ifindex", "kind", "peer", "master", "mac", "mtu", "flags", "operstate", "alias",
                     "group", "owned", "proxy_arp", "forwarding", "proxy_delay_ms", "bridge_port"});
    Link link;
    link.netns = netns;
    link.name = f.required("name").string();
    if (f.has("ifindex")) link.ifindex = f.member("ifindex").ifindex();
    if (f.has("kind")) link.kind = f.member("kind").string();
    if (f.has("peer")) {
        const Field peer = f.member("peer");
        peer.expect_object({"netns", "name"});
        link.peer_netns = peer.required("netns").string();
        link.peer_name = peer.required("name").string();
    }
    if (f.has("master")) link.master = f.member("master").string();
    if (f.has("mac")) link.mac = f.member("mac").mac();
    if (f.has("mtu")) link.mtu = static_cast<std::uint32_t>(f.member("mtu").unsigned_number(UINT32_MAX));
    if (f.has("flags")) link.flags = f.member("flags").flags(link_flag_names());
    if (f.has("operstate")) {
        link.operstate = static_cast<std::uint8_t>(f.member("operstate").enumerated(operstate_names(), 255));
    }
    if (f.has("alias")) link.alias = f.member("alias").string();
    if (f.has("group")) link.group = static_cast<std::uint32_t>(f.member("group").unsigned_number(UINT32_MAX));
    if (f.has("proxy_arp")) link.proxy_arp = f.member("proxy_arp").boolean();
    if (f.has("forwarding")) link.forwarding = f.member("forwarding").boolean();
    if (f.has("proxy_delay_ms")) {
        link.proxy_delay_ms = static_cast<std::uint32_t>(f.member("proxy_delay_ms").unsigned_number(UINT32_MAX));
    }
    if (f.has("bridge_port")) {
        const Field port = f.member("bridge_port");
        port.expect_object({"state", "hairpin", "learning", "unicast_flood", "isolated"});
        BridgePort value;
        if (port.has("state")) {
            value.state = static_cast<std::uint8_t>(port.member("state").enumerated(bridge_port_state_names(), 255));
        }
        if (port.has("hairpin")) value.hairpin = port.member("hairpin").boolean();
        if (port.has("learning")) value.learning = port.member("learning").boolean();
        if (port.has("unicast_flood")) value.unicast_flood = port.member("unicast_flood").boolean();
        if (port.has("isolated")) value.isolated = port.member("isolated").boolean();
        link.bridge_port = value;
    }
    check_owned(f, link, fmt::format("group {}", kOwnedLinkGroup));
    return link;
}

Address read_address(const Field& f, const std::string& netns) {
    f.expect_object({"dev", "ifindex", "local", "peer", "scope", "flags", "protocol", "protocol_name", "owned"});
    Address address;
    address.netns = netns;
    address.dev = f.required("dev").string();
    if (f.has("ifindex")) address.ifindex = f.member("ifindex").ifindex();
    address.local = f.required("local").prefix();
    if (f.has("peer")) address.peer = f.member("peer").ipv4();
    if (f.has("scope")) address.scope = static_cast<std::uint8_t>(f.member("scope").enumerated(scope_names(), 255));
    if (f.has("flags")) address.flags = f.member("flags").flags(address_flag_names());
    address.protocol = read_protocol(f, address_protocol_names());
    check_owned(f, address, fmt::format("protocol {}", kOwnedProtocol));
    return address;
}

Route read_route(const Field& f, const std::string& netns) {
    f.expect_object({"table", "dst", "gateway", "dev", "scope", "type", "protocol", "protocol_name", "flags",
                     "prefsrc", "metric", "nexthops", "owned"});
    Route route;
    route.netns = netns;
    if (f.has("table")) route.table = f.member("table").enumerated(route_table_names(), UINT32_MAX);
    route.dst = f.required("dst").prefix();
    if (f.has("gateway")) route.gateway = f.member("gateway").ipv4();
    if (f.has("dev")) route.dev = f.member("dev").string();
    if (f.has("scope")) route.scope = static_cast<std::uint8_t>(f.member("scope").enumerated(scope_names(), 255));
    if (f.has("type")) route.type = static_cast<std::uint8_t>(f.member("type").enumerated(route_type_names(), 255));
    route.protocol = read_protocol(f, route_protocol_names());
    if (f.has("flags")) route.flags = f.member("flags").flags(route_flag_names());
    if (f.has("prefsrc")) route.prefsrc = f.member("prefsrc").ipv4();
    if (f.has("metric")) route.metric = static_cast<std::uint32_t>(f.member("metric").unsigned_number(UINT32_MAX));
    if (f.has("nexthops")) {
        f.member("nexthops").for_each([&](const Field& hop) {
            hop.expect_object({"gateway", "dev", "flags", "weight"});
            Nexthop value;
            if (hop.has("gateway")) value.gateway = hop.member("gateway").ipv4();
            value.dev = hop.required("dev").string();
            if (hop.has("flags")) value.flags = hop.member("flags").flags(route_flag_names());
            if (hop.has("weight")) value.weight = static_cast<std::uint32_t>(hop.member("weight").unsigned_number(256));
            route.nexthops.push_back(value);
        });
    }
    check_owned(f, route, fmt::format("protocol {}", kOwnedProtocol));
    return route;
}

Neighbor read_neighbor(const Field& f, const std::string& netns) {
    f.expect_object({"dev", "dst", "lladdr", "state", "flags", "protocol", "protocol_name", "owned"});
    Neighbor neighbor;
    neighbor.netns = netns;
    neighbor.dev = f.required("dev").string();
    neighbor.dst = f.required("dst").ipv4();
    if (f.has("lladdr")) neighbor.lladdr = f.member("lladdr").mac();
    // A snapshot holds permanent entries only (the reader keeps no others).
    neighbor.state = 0x80;
    if (f.has("state")) neighbor.state = static_cast<std::uint16_t>(f.member("state").flags(neighbor_state_names()));
    if (f.has("flags")) neighbor.flags = static_cast<std::uint8_t>(f.member("flags").flags(neighbor_flag_names()));
    neighbor.protocol = read_protocol(f, route_protocol_names());
    check_owned(f, neighbor, fmt::format("protocol {}", kOwnedProtocol));
    return neighbor;
}

State read_state(const nlohmann::json& document) {
    const Field root(document, "");
    root.expect_object({"format", "ip_forward", "namespaces", "last_applied"});
    const Field format = root.required("format");
    if (format.string() != kStateFormat) {
        format.fail(fmt::format("\"{}\" is not a format this podnetc reads (expected \"{}\")", format.string(),
                                kStateFormat));
    }
    State state;
    if (root.has("ip_forward")) state.ip_forward = root.member("ip_forward").boolean();
    std::set<std::string> seen;
    root.required("namespaces").for_each([&](const Field& f) {
        f.expect_object({"name", "owned", "unreadable", "links", "addresses", "routes", "neighbors"});
        Netns netns;
        netns.name = f.required("name").string();
        if (!seen.insert(netns.name).second) f.fail(fmt::format("namespace \"{}\" is listed twice", netns.name));
        if (f.has("owned")) netns.owned = f.member("owned").boolean();
        if (f.has("unreadable")) netns.unreadable = f.member("unreadable").string();
        if (f.has("links")) f.member("links").for_each([&](const Field& x) { state.links.push_back(read_link(x, netns.name)); });
        if (f.has("addresses")) {
            f.member("addresses").for_each([&](const Field& x) { state.addresses.push_back(read_address(x, netns.name)); });
        }
        if (f.has("routes")) f.member("routes").for_each([&](const Field& x) { state.routes.push_back(read_route(x, netns.name)); });
        if (f.has("neighbors")) {
            f.member("neighbors").for_each([&](const Field& x) { state.neighbors.push_back(read_neighbor(x, netns.name)); });
        }
        state.namespaces.push_back(std::move(netns));
    });
    if (root.has("last_applied")) {
        const Field record = root.member("last_applied");
        if (!record.json().is_object()) record.fail("expected an object of object key -> declared text");
        auto& objects = state.last_applied.emplace();
        for (const auto& [key, item] : record.json().items()) objects[key] = record.member(key).string();
    }
    if (!seen.count("")) {
        root.fail("the host namespace (name \"\") is missing; a snapshot of one namespace (show --json "
                  "--netns) does not describe a node");
    }
    sort_state(state);
    return state;
}

}  // namespace

void write_json(JsonWriter& w, const State& input) {
    State state = input;
    sort_state(state);
    // Every namespace an object names gets an entry, even if the list lacks it.
    std::map<std::string, NamespaceEntry> namespaces;
    for (const Netns& netns : state.namespaces) {
        NamespaceEntry& e = namespaces[netns.name];
        e.owned = netns.owned;
        e.unreadable = netns.unreadable;
    }
    for (const Link& link : state.links) namespaces[link.netns].links.push_back(&link);
    for (const Address& address : state.addresses) namespaces[address.netns].addresses.push_back(&address);
    for (const Route& route : state.routes) namespaces[route.netns].routes.push_back(&route);
    for (const Neighbor& neighbor : state.neighbors) namespaces[neighbor.netns].neighbors.push_back(&neighbor);

    w.begin_object();
    w.key("format").value(kStateFormat);
    if (state.ip_forward) w.key("ip_forward").value(*state.ip_forward);
    w.key("namespaces").begin_array();
    for (const auto& [name, e] : namespaces) {
        w.begin_object();
        w.key("name").value(name).key("owned").value(e.owned);
        if (!e.unreadable.empty()) w.key("unreadable").value(e.unreadable);
        write_list(w, "links", e.links, write_link);
        write_list(w, "addresses", e.addresses, write_address);
        write_list(w, "routes", e.routes, write_route);
        write_list(w, "neighbors", e.neighbors, write_neighbor);
        w.end_object();
    }
    w.end_array();
    if (state.last_applied) {
        w.key("last_applied").begin_object();
        for (const auto& [key, text] : *state.last_applied) w.key(key).value(text);
        w.end_object();
    }
    w.end_object();
}

std::string to_json(const State& state) {
    std::string out;
    JsonWriter w(out);
    write_json(w, state);
    out += '\n';
    return out;
}

Expected<State, std::string> from_document(const nlohmann::json& document) {
    try {
        return read_state(document);
    } catch (const SnapshotError& error) {
        return unexpected(error.message);
    } catch (const nlohmann::json::exception& error) {
        return unexpected(fmt::format("snapshot: {}", error.what()));
    }
}

Expected<State, std::string> from_json(std::string_view text) {
    nlohmann::json document;
    try {
        document = parse_json(text);
    } catch (const nlohmann::json::parse_error& error) {
        return unexpected(fmt::format("not valid JSON: {}", error.what()));
    }
    return from_document(document);
}

}  // namespace podnetc::live
