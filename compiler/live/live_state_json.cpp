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

using Json = nlohmann::ordered_json;

// ---- writing ----------------------------------------------------------------

Json flag_list(std::uint32_t flags, std::span<const NamedValue> table) {
    Json list = Json::array();
    for (const std::string& name : flags_to_names(flags, table)) list.push_back(name);
    return list;
}

// Numbers whose names are not universal (protocols) are written as the number plus
// the name where one is known; enumerations with fixed names as the name.
void put_protocol(Json& out, std::uint8_t protocol, std::span<const NamedValue> names) {
    out["protocol"] = protocol;
    if (const auto name = value_name(protocol, names); !name.empty()) out["protocol_name"] = std::string(name);
}

Json enum_value(std::uint32_t value, std::span<const NamedValue> names) {
    const auto name = value_name(value, names);
    if (name.empty()) return value;
    return std::string(name);
}

Json link_json(const Link& link) {
    Json out;
    out["name"] = link.name;
    if (link.ifindex != 0) out["ifindex"] = link.ifindex;
    if (!link.kind.empty()) out["kind"] = link.kind;
    if (!link.peer_netns.empty() || !link.peer_name.empty()) {
        out["peer"] = Json{{"netns", link.peer_netns}, {"name", link.peer_name}};
    }
    if (!link.master.empty()) out["master"] = link.master;
    if (link.mac) out["mac"] = link.mac->str();
    out["mtu"] = link.mtu;
    out["flags"] = flag_list(link.flags, link_flag_names());
    out["operstate"] = enum_value(link.operstate, operstate_names());
    if (!link.alias.empty()) out["alias"] = link.alias;
    if (link.group != 0) out["group"] = link.group;
    out["owned"] = is_owned(link);
    if (link.proxy_arp) out["proxy_arp"] = *link.proxy_arp;
    if (link.forwarding) out["forwarding"] = *link.forwarding;
    if (link.proxy_delay_ms) out["proxy_delay_ms"] = *link.proxy_delay_ms;
    if (link.bridge_port) {
        const BridgePort& port = *link.bridge_port;
        out["bridge_port"] = Json{{"state", enum_value(port.state, bridge_port_state_names())},
                                  {"hairpin", port.hairpin},
                                  {"learning", port.learning},
                                  {"unicast_flood", port.unicast_flood},
                                  {"isolated", port.isolated}};
    }
    return out;
}

Json address_json(const Address& address) {
    Json out;
    out["dev"] = address.dev;
    if (address.ifindex != 0) out["ifindex"] = address.ifindex;
    out["local"] = address.local.str();
    if (address.peer) out["peer"] = address.peer->str();
    out["scope"] = enum_value(address.scope, scope_names());
    out["flags"] = flag_list(address.flags, address_flag_names());
    put_protocol(out, address.protocol, address_protocol_names());
    out["owned"] = is_owned(address);
    return out;
}

Json route_json(const Route& route) {
    Json out;
    out["table"] = enum_value(route.table, route_table_names());
    out["dst"] = route.dst.str();
    if (route.gateway) out["gateway"] = route.gateway->str();
    if (!route.dev.empty()) out["dev"] = route.dev;
    out["scope"] = enum_value(route.scope, scope_names());
    out["type"] = enum_value(route.type, route_type_names());
    put_protocol(out, route.protocol, route_protocol_names());
    out["flags"] = flag_list(route.flags, route_flag_names());
    if (route.prefsrc) out["prefsrc"] = route.prefsrc->str();
    out["metric"] = route.metric;
    if (!route.nexthops.empty()) {
        Json hops = Json::array();
        for (const Nexthop& hop : route.nexthops) {
            Json item;
            if (hop.gateway) item["gateway"] = hop.gateway->str();
            item["dev"] = hop.dev;
            item["flags"] = flag_list(hop.flags, route_flag_names());
            item["weight"] = hop.weight;
            hops.push_back(std::move(item));
        }
        out["nexthops"] = std::move(hops);
    }
    out["owned"] = is_owned(route);
    return out;
}

Json neighbor_json(const Neighbor& neighbor) {
    Json out;
    out["dev"] = neighbor.dev;
    out["dst"] = neighbor.dst.str();
    if (neighbor.lladdr) out["lladdr"] = neighbor.lladdr->str();
    out["state"] = flag_list(neighbor.state, neighbor_state_names());
    out["flags"] = flag_list(neighbor.flags, neighbor_flag_names());
    put_protocol(out, neighbor.protocol, route_protocol_names());
    out["owned"] = is_owned(neighbor);
    return out;
}

// Layout: containers are expanded down to the lists of objects; each object of a
// list (a link, a route, …) is one line, so that a diff shows one line per change.
// Scalars as nlohmann's dump() writes them, without its per-call setup (the
// snapshot of 500 namespaces has ~100,000 of them).
void write_scalar(const Json& value, std::string& out) {
    if (value.is_string()) {
        append_json_string(out, value.get_ref<const std::string&>());
    } else if (value.is_number_unsigned()) {
        fmt::format_to(std::back_inserter(out), "{}", value.get<std::uint64_t>());
    } else if (value.is_number_integer()) {
        fmt::format_to(std::back_inserter(out), "{}", value.get<std::int64_t>());
    } else if (value.is_boolean()) {
        out += value.get<bool>() ? "true" : "false";
    } else if (value.is_null()) {
        out += "null";
    } else {
        out += value.dump();
    }
}

void write_inline(const Json& value, std::string& out) {
    if (value.is_object()) {
        out += '{';
        bool first = true;
        for (const auto& [key, item] : value.items()) {
            if (!first) out += ", ";
            first = false;
            append_json_string(out, key);
            out += ": ";
            write_inline(item, out);
        }
        out += '}';
    } else if (value.is_array()) {
        out += '[';
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (i != 0) out += ", ";
            write_inline(value[i], out);
        }
        out += ']';
    } else {
        write_scalar(value, out);
    }
}

// `items_expanded`: the elements of this array are themselves written as blocks
// (the namespaces); otherwise each element is one line.
void write_block(const Json& value, int depth, bool items_expanded, std::string& out) {
    const std::string pad(static_cast<std::size_t>(depth) * 2, ' ');
    const std::string inner(static_cast<std::size_t>(depth + 1) * 2, ' ');
    if (value.is_object() && !value.empty()) {
        out += "{\n";
        std::size_t i = 0;
        for (const auto& [key, item] : value.items()) {
            out += inner;
            append_json_string(out, key);
            out += ": ";
            write_block(item, depth + 1, key == "namespaces", out);
            out += ++i < value.size() ? ",\n" : "\n";
        }
        out += pad + "}";
    } else if (value.is_array() && !value.empty()) {
        out += "[\n";
        for (std::size_t i = 0; i < value.size(); ++i) {
            out += inner;
            if (items_expanded) {
                write_block(value[i], depth + 1, false, out);
            } else {
                write_inline(value[i], out);
            }
            out += i + 1 < value.size() ? ",\n" : "\n";
        }
        out += pad + "]";
    } else {
        write_inline(value, out);
    }
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

std::string to_json(const State& input) {
    State state = input;
    sort_state(state);
    // Every namespace an object names gets an entry, even if the list lacks it.
    std::map<std::string, Json> namespaces;
    auto entry = [&](const std::string& name) -> Json& {
        auto it = namespaces.find(name);
        if (it == namespaces.end()) {
            it = namespaces.emplace(name, Json{{"name", name}, {"owned", false}}).first;
        }
        return it->second;
    };
    for (const Netns& netns : state.namespaces) {
        Json& e = entry(netns.name);
        e["owned"] = netns.owned;
        if (!netns.unreadable.empty()) e["unreadable"] = netns.unreadable;
    }
    for (auto& [name, e] : namespaces) {
        for (const char* list : {"links", "addresses", "routes", "neighbors"}) e[list] = Json::array();
    }
    for (const Link& link : state.links) entry(link.netns)["links"].push_back(link_json(link));
    for (const Address& address : state.addresses) entry(address.netns)["addresses"].push_back(address_json(address));
    for (const Route& route : state.routes) entry(route.netns)["routes"].push_back(route_json(route));
    for (const Neighbor& neighbor : state.neighbors) {
        entry(neighbor.netns)["neighbors"].push_back(neighbor_json(neighbor));
    }

    Json document;
    document["format"] = std::string(kStateFormat);
    if (state.ip_forward) document["ip_forward"] = *state.ip_forward;
    Json list = Json::array();
    for (auto& [name, e] : namespaces) list.push_back(std::move(e));
    document["namespaces"] = std::move(list);
    if (state.last_applied) {
        Json record = Json::object();
        for (const auto& [key, text] : *state.last_applied) record[key] = text;
        document["last_applied"] = std::move(record);
    }

    std::string out;
    write_block(document, 0, false, out);
    out += '\n';
    return out;
}

Expected<State, std::string> from_json(std::string_view text) {
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& error) {
        return unexpected(fmt::format("not valid JSON: {}", error.what()));
    }
    try {
        return read_state(document);
    } catch (const SnapshotError& error) {
        return unexpected(error.message);
    } catch (const nlohmann::json::exception& error) {
        return unexpected(fmt::format("snapshot: {}", error.what()));
    }
}

}  // namespace podnetc::live
