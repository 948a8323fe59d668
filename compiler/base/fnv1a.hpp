// 64-bit FNV-1a: podnetc's one non-cryptographic hash (derived interface names,
// the state fingerprint of a plan). Both are stored or compared across runs, so
// the constants never change.
#pragma once

#include <cstdint>
#include <string_view>

namespace podnetc {

class Fnv1a64 {
public:
    constexpr Fnv1a64& byte(std::uint8_t b) {
        hash_ ^= b;
        hash_ *= 0x100000001b3ULL;
        return *this;
    }
    constexpr Fnv1a64& bytes(std::string_view text) {
        for (const char c : text) byte(static_cast<std::uint8_t>(c));
        return *this;
    }
    constexpr std::uint64_t value() const { return hash_; }

private:
    std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

constexpr std::uint64_t fnv1a64(std::string_view text) { return Fnv1a64().bytes(text).value(); }

}  // namespace podnetc
