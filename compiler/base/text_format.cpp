#include "compiler/base/text_format.hpp"

#include <fmt/format.h>

namespace podnetc {

std::string group_thousands(std::uint64_t value) {
    const std::string digits = fmt::format("{}", value);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string count_of(std::uint64_t count, std::string_view singular, std::string_view plural) {
    return fmt::format("{} {}", group_thousands(count), count == 1 ? singular : plural);
}

std::string plural(std::uint64_t count, std::string_view word) {
    return fmt::format("{} {}{}", group_thousands(count), word, count == 1 ? "" : "s");
}

std::string first_names(const std::vector<std::string>& names, std::size_t shown) {
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < shown; ++i) out += (i == 0 ? "" : ", ") + names[i];
    if (names.size() > shown) out += ", …";
    return out;
}

}  // namespace podnetc
