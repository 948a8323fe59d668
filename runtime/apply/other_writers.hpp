// Another writer during a transaction (docs/APPLY.md, "Another writer meanwhile").
// While a plan is applied, the transport listens to rtnetlink notifications in the
// namespaces the plan writes to and already exist. A notification names the
// netlink port of the request that caused it (nlmsg_pid): the transport's own
// sockets, 0 for what the kernel did by itself, or another process. An address,
// route or neighbour that another process added, replaced or deleted, and that an
// operation of the plan creates, changes or deletes, stops the apply before its
// next batch: the plan was made for a node that is no longer there, and going on
// would overwrite or delete the other writer's object. Links cannot be told apart
// this way (the kernel reports port 0 for every link change, measured on 6.18:
// docs/KERNEL-FACTS.md); the verification after the apply catches those.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include <linux/netlink.h>

#include "compiler/objects/object_keys.hpp"
#include "compiler/steps/plan.hpp"
#include "runtime/netlink/netlink_index_map.hpp"

namespace podnetc::rt {

// One notification that did not come from the transport, as received.
struct ForeignNotification {
    std::string netns;
    std::vector<std::byte> message;  // one nlmsghdr and its payload
};

struct OtherWriterChange {
    std::string netns;
    std::variant<kernel::AddressKey, kernel::RouteKey, kernel::NeighborKey> key;
    bool deleted = false;
    std::uint32_t port = 0;  // the writer's netlink port (for most tools its pid)
};

// The change a notification describes, if it is one of an address, a route or a
// neighbour and was made by a process (port != 0). Device names come from `links`.
std::optional<OtherWriterChange> decode_other_writer_change(const ForeignNotification& notification,
                                                            const IndexMap& links);

// The operations of `plan` whose object (forward step) has the change's identity.
std::vector<std::size_t> ops_changed(const plan::Plan& plan, const OtherWriterChange& change);

// The namespaces to listen in: those the plan sends to that exist in `before` and
// that the plan does not delete (a socket inside keeps a namespace alive).
std::vector<std::string> namespaces_to_watch(const plan::Plan& plan, const live::State& before);

// "another process (netlink port 4242) replaced route 10.10.1.11/32 in host while the
// plan was applied"
std::string other_writer_text(const OtherWriterChange& change);

}  // namespace podnetc::rt
