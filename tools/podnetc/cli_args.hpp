// A small command-line parser: each command declares its options once and gets
// parsing, `--help` text and "unknown option" errors from that declaration.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podnetc::cli {

struct OptionSpec {
    std::string_view name;        // "--node"
    std::string_view value_name;  // "NAME"; empty for a flag
    std::string_view help;
};

struct CommandSpec {
    std::string_view name;      // "plan"
    std::string_view synopsis;  // "FILE [--node NAME] [--json]"
    std::string_view summary;   // one line
    std::string_view details;   // paragraphs after the options, may be empty
    std::vector<OptionSpec> options;
    std::size_t min_positional = 0;
    std::size_t max_positional = 0;
};

class Args {
public:
    const std::vector<std::string>& positional() const { return positional_; }
    bool flag(std::string_view name) const;
    std::optional<std::string> value(std::string_view name) const;
    std::string value_or(std::string_view name, std::string_view fallback) const;
    // Options given more than once (the last one counts), in the order of their repetition.
    const std::vector<std::string>& repeated() const { return repeated_; }

private:
    friend std::optional<Args> parse(const CommandSpec&, const std::vector<std::string>&,
                                     std::string&);
    std::vector<std::string> positional_;
    std::map<std::string, std::string, std::less<>> values_;
    std::vector<std::string> repeated_;
};

// nullopt with `error` set on a bad command line; `--help` is reported as error "help".
std::optional<Args> parse(const CommandSpec& spec, const std::vector<std::string>& argv,
                          std::string& error);
std::string help_text(const CommandSpec& spec);

}  // namespace podnetc::cli
