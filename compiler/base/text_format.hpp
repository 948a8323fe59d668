// Counts in human output, written one way everywhere: digits grouped by thousands
// ("1,225 veth pairs", "Plan: 3,000 to create") and the noun in its plural unless
// the count is 1.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace podnetc {

// "1,234,567".
std::string group_thousands(std::uint64_t value);

// "1 address", "2,000 addresses".
std::string count_of(std::uint64_t count, std::string_view singular, std::string_view plural);

// count_of with the plural made by appending "s": "1 error", "3 errors".
std::string plural(std::uint64_t count, std::string_view word);

// The first `shown` names joined with ", ", and ", …" when there are more:
// "pod-1, pod-2, …".
std::string first_names(const std::vector<std::string>& names, std::size_t shown);

}  // namespace podnetc
