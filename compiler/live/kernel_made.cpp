#include "compiler/live/kernel_made.hpp"

#include "compiler/objects/kernel_values.hpp"

namespace podnetc::live {

bool kernel_made(const Link& link) { return link.name == "lo" || (link.flags & kernel::kIffLoopback) != 0; }

bool kernel_made(const Address& address) {
    // IFAPROT_KERNEL_LO / _RA / _LL.
    if (address.protocol >= 1 && address.protocol <= 3) return true;
    return address.dev == "lo" && address.local == ip::Prefix{ip::Address::v4(0x7f000001), 8};
}

bool kernel_made(const Route& route) { return route.protocol == kernel::kProtoKernel; }

}  // namespace podnetc::live
