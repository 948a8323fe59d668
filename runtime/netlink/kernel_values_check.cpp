// compiler/objects/kernel_values.hpp spells out kernel constants without including kernel
// headers; this file, which may include them, checks every one at compile time.
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "compiler/objects/kernel_values.hpp"

namespace podnetc::kernel {

static_assert(kMainTable == RT_TABLE_MAIN);
static_assert(kLocalTable == RT_TABLE_LOCAL);
static_assert(kProtoKernel == RTPROT_KERNEL);
static_assert(kProtoBoot == RTPROT_BOOT);
static_assert(kProtoStatic == RTPROT_STATIC);
static_assert(kScopeUniverse == RT_SCOPE_UNIVERSE);
static_assert(kScopeLink == RT_SCOPE_LINK);
static_assert(kScopeHost == RT_SCOPE_HOST);
static_assert(kRouteUnicast == RTN_UNICAST);
static_assert(kOnlink == RTNH_F_ONLINK);
static_assert(kIffUp == IFF_UP);
static_assert(kIffLoopback == IFF_LOOPBACK);
static_assert(kIffLowerUp == IFF_LOWER_UP);
static_assert(kIfaSecondary == IFA_F_SECONDARY);
static_assert(kIfaPermanent == IFA_F_PERMANENT);
static_assert(kIfaProtoKernelLo == IFAPROT_KERNEL_LO);
static_assert(kNudPermanent == NUD_PERMANENT);

}  // namespace podnetc::kernel
