// The TOML twin of .pnet (docs/LANGUAGE.md, "The TOML twin"): TOML++ reads the
// file, this walks the tables into the same AST the .pnet parser builds. Strings
// that hold names and values go through the .pnet word grammar (parse_word.hpp),
// so interpolations and their errors are identical in both syntaxes.
//
// TOML tables are unordered maps; declarations and options are put back in the
// order they are written in the file, so that a twin lowers exactly like its .pnet.
// A table with an error of its own is left out of the tree, as a broken .pnet
// statement is; a broken table inside it (a pod in a [[for]], an interface of a
// pod) leaves out only itself.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "compiler/syntax/frontend.hpp"
#include "compiler/syntax/parse_word.hpp"
#include "compiler/syntax/toml_source.hpp"
#include "grammar/pnet_keywords.hpp"

namespace podnetc {
namespace {

// Where a list of declarations stands: the file, a [[for]] or a [[node]].
enum class Scope { file, loop, node };

struct Ordered {
    std::uint32_t offset;
    ast::Decl decl;
};

struct OrderedOption {
    std::uint32_t offset;
    ast::Option option;
};

std::string type_name(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::table: return "a table";
        case toml::node_type::array: return "an array";
        case toml::node_type::string: return "a string";
        case toml::node_type::integer: return "an integer";
        case toml::node_type::floating_point: return "a float";
        case toml::node_type::boolean: return "a boolean";
        case toml::node_type::date:
        case toml::node_type::time:
        case toml::node_type::date_time: return "a date or time";
        case toml::node_type::none: break;
    }
    return "nothing";
}

// "Error while parsing key-value pair: expected value, saw '\n'" ->
// "invalid TOML: expected value, saw '\n' (in a key-value pair)"
std::string toml_error_message(std::string_view description) {
    constexpr std::string_view prefix = "Error while parsing ";
    if (description.starts_with(prefix)) {
        const std::string_view rest = description.substr(prefix.size());
        if (const auto colon = rest.find(": "); colon != std::string_view::npos) {
            return fmt::format("invalid TOML: {} (in a {})", rest.substr(colon + 2), rest.substr(0, colon));
        }
    }
    return fmt::format("invalid TOML: {}", description);
}

class TomlReader {
public:
    TomlReader(const SourceFile& source, FileId file, Diagnostics& diagnostics)
        : where_(source, file), diagnostics_(diagnostics) {}

    std::vector<ast::Decl> read_file(const toml::table& root) {
        std::vector<Ordered> decls;
        for (const auto& [key, value] : root) {
            if (key.str() == "cluster") {
                read_cluster(value);
            } else if (!read_decl_array(key, value, Scope::file, decls)) {
                unknown_key(key, "top-level key", {"network", "pod", "for", "node", "cluster"},
                            ": expected [[network]], [[pod]], [[for]], [[node]] or [cluster]");
            }
        }
        return in_file_order(std::move(decls));
    }

    std::vector<ast::ClusterDecl> clusters;  // ast::File::clusters

private:
    SourceRange range_of(const toml::node& node) { return where_.range_of(node.source()); }
    SourceRange range_of(const toml::key& key) { return where_.range_of(key.source()); }

    Diagnostic& error(SourceRange range, std::string message) {
        return diagnostics_.error(range, std::move(message));
    }

    void unknown_key(const toml::key& key, std::string_view what,
                     const std::vector<std::string>& known, std::string_view hint = "") {
        std::string message = fmt::format("unknown {} '{}'{}", what, key.str(), hint);
        const std::string close = closest_match(key.str(), known);
        if (!close.empty()) message += fmt::format(" (did you mean '{}'?)", close);
        error(range_of(key), std::move(message));
    }

    static std::vector<ast::Decl> in_file_order(std::vector<Ordered> decls) {
        std::stable_sort(decls.begin(), decls.end(),
                         [](const Ordered& a, const Ordered& b) { return a.offset < b.offset; });
        std::vector<ast::Decl> out;
        out.reserve(decls.size());
        for (Ordered& d : decls) out.push_back(std::move(d.decl));
        return out;
    }

    // `network`, `pod`, `for` or `node`: an array of tables, one declaration each.
    // False when key is none of them.
    bool read_decl_array(const toml::key& key, const toml::node& value, Scope scope,
                         std::vector<Ordered>& out) {
        const std::string_view name = key.str();
        if (name != "network" && name != "pod" && name != "for" && name != "node") return false;
        if (name == "node" && scope != Scope::file) {
            error(range_of(key), "a [[node]] table must be at the top level of the file");
            return true;
        }
        const toml::array* array = value.as_array();
        if (array == nullptr) {
            error(range_of(value), fmt::format("'{}' must be an array of tables ([[{}]] or {} = [{{ … }}]), not {}",
                                               name, name, name, type_name(value)));
            return true;
        }
        for (const toml::node& element : *array) {
            const toml::table* table = element.as_table();
            if (table == nullptr) {
                error(range_of(element), fmt::format("each element of '{}' must be a table, not {}",
                                                     name, type_name(element)));
                continue;
            }
            std::optional<ast::Decl> decl;
            if (name == "network") decl = read_network(*table);
            if (name == "pod") decl = read_pod(*table);
            if (name == "for") decl = read_for(*table);
            if (name == "node") decl = read_node(*table);
            if (decl) out.push_back(Ordered{range_of(*table).offset, std::move(*decl)});
        }
        return true;
    }

    // A string holding a .pnet word.
    std::optional<ast::Word> read_word(const toml::node& value, std::string_view what) {
        const auto* string = value.as_string();
        if (string == nullptr) {
            error(range_of(value), fmt::format("'{}' must be a string, not {}", what, type_name(value)));
            return std::nullopt;
        }
        const SourceRange content = where_.string_content(range_of(value), string->get());
        return parse_word_text(string->get(), content, diagnostics_);
    }

    std::optional<ast::Word> required_word(const toml::table& table, std::string_view key,
                                           std::string_view what) {
        const toml::node* value = table.get(key);
        if (value == nullptr) {
            error(range_of(table), fmt::format("this {} has no '{}'", what, key));
            return std::nullopt;
        }
        return read_word(*value, key);
    }

    // key = "word" | 123 | true | [ "word", 123, … ]: one Option per value; a flag
    // is `key = true` (false leaves it out). Whether the key exists is lowering's
    // business; only the shape of the value is checked here. False after an error.
    bool read_option(const toml::key& key, const toml::node& value, std::vector<OrderedOption>& out) {
        const std::size_t errors_before = diagnostics_.error_count();
        const std::string name(key.str());
        const SourceRange key_range = range_of(key);
        const auto add = [&](std::optional<ast::Word> word, SourceRange value_range) {
            out.push_back(OrderedOption{key_range.offset,
                                        ast::Option{name, key_range, std::move(word), cover(key_range, value_range)}});
        };

        if (grammar::is_flag_option(name)) {
            const auto* flag = value.as_boolean();
            if (flag == nullptr) {
                error(range_of(value), fmt::format("'{}' is a flag: write {} = true", name, name));
            } else if (flag->get()) {
                add(std::nullopt, range_of(value));
            }
            return diagnostics_.error_count() == errors_before;
        }
        if (value.is_boolean()) {
            std::string message = fmt::format("'{}' takes a value, not true or false", name);
            const std::vector<std::string> flags(grammar::flag_options.begin(), grammar::flag_options.end());
            const std::string close = closest_match(name, flags);
            if (!close.empty()) message += fmt::format(" (did you mean the flag '{}'?)", close);
            error(range_of(value), std::move(message));
            return false;
        }

        const auto read_one = [&](const toml::node& element) {
            if (const auto* integer = element.as_integer()) {
                add(ast::literal_word(fmt::format("{}", integer->get()), range_of(element)), range_of(element));
            } else if (element.is_string()) {
                if (auto word = read_word(element, name)) add(std::move(word), range_of(element));
            } else {
                error(range_of(element), fmt::format("'{}' must be a string or an integer, not {}",
                                                     name, type_name(element)));
            }
        };
        if (const auto* array = value.as_array()) {
            for (const toml::node& element : *array) read_one(element);
        } else {
            read_one(value);
        }
        return diagnostics_.error_count() == errors_before;
    }

    static std::vector<ast::Option> in_file_order(std::vector<OrderedOption> options) {
        std::stable_sort(options.begin(), options.end(),
                         [](const OrderedOption& a, const OrderedOption& b) { return a.offset < b.offset; });
        std::vector<ast::Option> out;
        out.reserve(options.size());
        for (OrderedOption& o : options) out.push_back(std::move(o.option));
        return out;
    }

    std::optional<ast::Decl> read_network(const toml::table& table) {
        ast::NetworkDecl network;
        network.range = range_of(table);
        auto name = required_word(table, "name", "network");
        bool ok = name.has_value();
        std::vector<OrderedOption> options;
        for (const auto& [key, value] : table) {
            if (key.str() != "name") ok = read_option(key, value, options) && ok;
        }
        if (!ok) {
            if (name && name->is_literal()) broken_networks.push_back(name->literal_text());
            return std::nullopt;
        }
        network.name = std::move(*name);
        network.options = in_file_order(std::move(options));
        return ast::Decl{std::move(network)};
    }

    std::optional<ast::InterfaceDecl> read_interface(const toml::table& table) {
        ast::InterfaceDecl interface;
        interface.range = range_of(table);
        auto network = required_word(table, "network", "interface");
        bool ok = network.has_value();
        std::vector<OrderedOption> options;
        for (const auto& [key, value] : table) {
            if (key.str() == "name") {
                interface.name = read_word(value, "name");
                ok = interface.name.has_value() && ok;
            } else if (key.str() != "network") {
                ok = read_option(key, value, options) && ok;
            }
        }
        if (!ok) return std::nullopt;
        interface.network = std::move(*network);
        interface.options = in_file_order(std::move(options));
        return interface;
    }

    std::optional<ast::Decl> read_pod(const toml::table& table) {
        ast::PodDecl pod;
        pod.range = range_of(table);
        auto name = required_word(table, "name", "pod");
        bool ok = name.has_value();
        std::vector<OrderedOption> options;
        for (const auto& [key, value] : table) {
            if (key.str() == "name") continue;
            if (key.str() != "interface") {
                ok = read_option(key, value, options) && ok;
                continue;
            }
            const toml::array* interfaces = value.as_array();
            if (interfaces == nullptr) {
                error(range_of(value), fmt::format("'interface' must be an array of tables "
                                                   "(interface = [{{ network = \"…\", … }}]), not {}",
                                                   type_name(value)));
                ok = false;
                continue;
            }
            for (const toml::node& element : *interfaces) {
                if (const toml::table* interface = element.as_table()) {
                    if (auto decl = read_interface(*interface)) pod.interfaces.push_back(std::move(*decl));
                } else {
                    error(range_of(element), fmt::format("each interface must be a table, not {}",
                                                         type_name(element)));
                }
            }
        }
        if (!ok) return std::nullopt;
        pod.name = std::move(*name);
        pod.options = in_file_order(std::move(options));
        return ast::Decl{std::move(pod)};
    }

    // A string checked by one of the parse_word.hpp helpers.
    const toml::value<std::string>* required_string(const toml::table& table, std::string_view key,
                                                    std::string_view what) {
        const toml::node* value = table.get(key);
        if (value == nullptr) {
            error(range_of(table), fmt::format("this {} has no '{}'", what, key));
            return nullptr;
        }
        const auto* string = value->as_string();
        if (string == nullptr) {
            error(range_of(*value), fmt::format("'{}' must be a string, not {}", key, type_name(*value)));
        }
        return string;
    }

    std::optional<ast::Decl> read_for(const toml::table& table) {
        ast::ForDecl loop;
        loop.range = range_of(table);
        bool ok = true;
        if (const auto* var = required_string(table, "var", "[[for]]")) {
            const SourceRange content = where_.string_content(range_of(*var), var->get());
            ok = check_loop_variable_text(var->get(), content, diagnostics_) && ok;
            loop.variable = var->get();
            loop.variable_range = content;
        } else {
            ok = false;
        }
        if (const auto* range = required_string(table, "range", "[[for]]")) {
            const SourceRange content = where_.string_content(range_of(*range), range->get());
            if (const auto parsed = parse_range_text(range->get(), content, diagnostics_)) {
                loop.first = parsed->first;
                loop.last = parsed->last;
                loop.range_range = parsed->range;
            } else {
                ok = false;
            }
        } else {
            ok = false;
        }
        std::vector<Ordered> body;
        for (const auto& [key, value] : table) {
            if (key.str() == "var" || key.str() == "range") continue;
            if (!read_decl_array(key, value, Scope::loop, body)) {
                unknown_key(key, "key", {"var", "range", "network", "pod", "for"}, " in a [[for]] table");
                ok = false;
            }
        }
        if (!ok) return std::nullopt;
        loop.body = in_file_order(std::move(body));
        return ast::Decl{std::move(loop)};
    }

    // Keys besides `name` and the declaration arrays are the node's options
    // (`underlay = "192.168.0.11"`, `dev = "eth0"`), as on a `node` line.
    std::optional<ast::Decl> read_node(const toml::table& table) {
        ast::NodeDecl node;
        node.range = range_of(table);
        auto name = required_word(table, "name", "node");
        bool ok = name.has_value();
        std::vector<Ordered> body;
        std::vector<OrderedOption> options;
        for (const auto& [key, value] : table) {
            if (key.str() == "name") continue;
            if (!read_decl_array(key, value, Scope::node, body)) ok = read_option(key, value, options) && ok;
        }
        if (!ok) return std::nullopt;
        node.name = std::move(*name);
        node.options = in_file_order(std::move(options));
        node.body = in_file_order(std::move(body));
        return ast::Decl{std::move(node)};
    }

    // The cluster table: every key is an option of the `cluster` line (`backend = "host-gw"`).
    void read_cluster(const toml::node& value) {
        const toml::table* table = value.as_table();
        if (table == nullptr) {
            error(range_of(value), fmt::format("'cluster' must be a table ([cluster]), not {}", type_name(value)));
            return;
        }
        ast::ClusterDecl cluster;
        cluster.range = range_of(*table);
        bool ok = true;
        std::vector<OrderedOption> options;
        for (const auto& [key, option] : *table) ok = read_option(key, option, options) && ok;
        if (!ok) return;
        cluster.options = in_file_order(std::move(options));
        clusters.push_back(std::move(cluster));
    }

public:
    std::vector<std::string> broken_networks;  // ast::File::broken_networks

private:
    TomlSource where_;
    Diagnostics& diagnostics_;
};

}  // namespace

ast::File parse_toml(const SourceSet& sources, FileId file, Diagnostics& diagnostics) {
    const SourceFile& source = sources.file(file);
    ast::File result;
    result.file = file;
    const std::size_t errors_before = diagnostics.error_count();
    toml::table root;
    try {
        root = toml::parse(std::string_view(source.text()), std::string_view(source.path()));
    } catch (const toml::parse_error& e) {
        TomlSource where(source, file);
        diagnostics.error(where.point(e.source().begin), toml_error_message(e.description()));
        result.incomplete = true;
        return result;
    }
    TomlReader reader(source, file, diagnostics);
    result.decls = reader.read_file(root);
    result.clusters = std::move(reader.clusters);
    result.broken_networks = std::move(reader.broken_networks);
    result.incomplete = diagnostics.error_count() != errors_before;
    return result;
}

}  // namespace podnetc
