#include "tools/podnetc/cli_args.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace podnetc::cli {

bool Args::flag(std::string_view name) const { return values_.find(name) != values_.end(); }

std::optional<std::string> Args::value(std::string_view name) const {
    const auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::string Args::value_or(std::string_view name, std::string_view fallback) const {
    return value(name).value_or(std::string(fallback));
}

std::optional<Args> parse(const CommandSpec& spec, const std::vector<std::string>& argv,
                          std::string& error) {
    Args args;
    bool options_done = false;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        std::string arg = argv[i];
        if (options_done || arg.size() < 2 || arg[0] != '-') {
            args.positional_.push_back(arg);
            continue;
        }
        if (arg == "--") {
            options_done = true;
            continue;
        }
        if (arg == "--help" || arg == "-h") {
            error = "help";
            return std::nullopt;
        }
        std::optional<std::string> inline_value;
        if (const auto eq = arg.find('='); eq != std::string::npos) {
            inline_value = arg.substr(eq + 1);
            arg.resize(eq);
        }
        const auto option = std::find_if(spec.options.begin(), spec.options.end(),
                                         [&](const OptionSpec& o) { return o.name == arg; });
        if (option == spec.options.end()) {
            error = fmt::format("unknown option '{}' for 'podnetc {}'", arg, spec.name);
            return std::nullopt;
        }
        if (args.values_.count(arg) != 0) args.repeated_.push_back(arg);
        if (option->value_name.empty()) {
            if (inline_value) {
                error = fmt::format("option '{}' takes no value", arg);
                return std::nullopt;
            }
            args.values_[arg] = "";
        } else if (inline_value) {
            args.values_[arg] = *inline_value;
        } else if (i + 1 < argv.size()) {
            args.values_[arg] = argv[++i];
        } else {
            error = fmt::format("option '{}' needs a value ({})", arg, option->value_name);
            return std::nullopt;
        }
    }
    const std::size_t n = args.positional_.size();
    if (n < spec.min_positional || n > spec.max_positional) {
        error = fmt::format("usage: podnetc {} {}", spec.name, spec.synopsis);
        return std::nullopt;
    }
    return args;
}

std::string help_text(const CommandSpec& spec) {
    std::string out = fmt::format("usage: podnetc {} {}\n\n{}\n", spec.name, spec.synopsis, spec.summary);
    if (!spec.options.empty()) {
        out += "\noptions:\n";
        std::size_t width = 0;
        for (const auto& o : spec.options) {
            width = std::max(width, o.name.size() + (o.value_name.empty() ? 0 : o.value_name.size() + 1));
        }
        for (const auto& o : spec.options) {
            const std::string left = o.value_name.empty() ? std::string(o.name)
                                                          : fmt::format("{} {}", o.name, o.value_name);
            out += fmt::format("  {:<{}}  {}\n", left, width, o.help);
        }
        out += fmt::format("  {:<{}}  {}\n", "--help", width, "show this help");
    }
    if (!spec.details.empty()) out += fmt::format("\n{}\n", spec.details);
    return out;
}

}  // namespace podnetc::cli
