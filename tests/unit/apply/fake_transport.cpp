#include "tests/unit/apply/fake_transport.hpp"

#include <cerrno>
#include <cstring>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "runtime/netlink/netlink_encode.hpp"
#include "tests/unit/plan/plan_fixtures.hpp"

namespace podnetc::test {
namespace {

struct ErrnoName {
    const char* name;
    int value;
};
constexpr ErrnoName kErrnos[] = {
    {"EEXIST", EEXIST}, {"ENODEV", ENODEV}, {"ENOENT", ENOENT},         {"ESRCH", ESRCH},
    {"EINVAL", EINVAL}, {"EBUSY", EBUSY},   {"ENETDOWN", ENETDOWN},     {"ENETUNREACH", ENETUNREACH},
    {"EOPNOTSUPP", EOPNOTSUPP}, {"EADDRNOTAVAIL", EADDRNOTAVAIL}, {"ERANGE", ERANGE},
};

std::string errno_name(int value) {
    for (const ErrnoName& e : kErrnos) {
        if (e.value == value) return e.name;
    }
    return std::to_string(value);
}

// The u32 attribute apply_faults.cpp shortens to one byte, per request type.
std::uint16_t fault_attribute(std::uint16_t type) {
    switch (type) {
    case RTM_NEWLINK:
    case RTM_SETLINK:
    case RTM_DELLINK: return IFLA_MTU;
    case RTM_SETNEIGHTBL: return NDTA_THRESH1;
    case RTM_NEWADDR:
    case RTM_DELADDR: return IFA_FLAGS;
    case RTM_NEWROUTE:
    case RTM_DELROUTE: return RTA_PRIORITY;
    default: return NDA_PROBES;
    }
}

std::size_t family_header_size(std::uint16_t type) {
    switch (type) {
    case RTM_NEWLINK:
    case RTM_SETLINK:
    case RTM_DELLINK: return sizeof(ifinfomsg);
    case RTM_SETNEIGHTBL: return sizeof(ndtmsg);
    case RTM_NEWADDR:
    case RTM_DELADDR: return sizeof(ifaddrmsg);
    case RTM_NEWROUTE:
    case RTM_DELROUTE: return sizeof(rtmsg);
    default: return sizeof(ndmsg);
    }
}

// Whether the request fails the kernel's attribute policy (the test fault).
bool fails_policy(const nlmsghdr& request) {
    struct Search {
        std::uint16_t type;
        bool found = false;
    } search{fault_attribute(request.nlmsg_type)};
    mnl_attr_parse(
        &request, static_cast<unsigned>(family_header_size(request.nlmsg_type)),
        [](const nlattr* attr, void* data) {
            auto* s = static_cast<Search*>(data);
            if (mnl_attr_get_type(attr) == s->type && mnl_attr_get_payload_len(attr) < 4) s->found = true;
            return MNL_CB_OK;
        },
        &search);
    return search.found;
}

template <class Visit>
void for_each_nested(const nlattr* nest, Visit visit) {
    const auto* end = static_cast<const char*>(mnl_attr_get_payload(nest)) + mnl_attr_get_payload_len(nest);
    for (auto* attr = static_cast<const nlattr*>(mnl_attr_get_payload(nest));
         mnl_attr_ok(attr, static_cast<int>(end - reinterpret_cast<const char*>(attr))); attr = mnl_attr_next(attr)) {
        visit(attr);
    }
}

// The ifindex pinned for the veth peer (VETH_INFO_PEER's ifinfomsg), or 0.
std::int32_t pinned_peer_index(const nlmsghdr& request) {
    std::int32_t index = 0;
    const auto* header_end = static_cast<const char*>(mnl_nlmsg_get_payload(&request)) + MNL_ALIGN(sizeof(ifinfomsg));
    const auto* end = reinterpret_cast<const char*>(&request) + request.nlmsg_len;
    for (auto* attr = reinterpret_cast<const nlattr*>(header_end);
         mnl_attr_ok(attr, static_cast<int>(end - reinterpret_cast<const char*>(attr))); attr = mnl_attr_next(attr)) {
        if (mnl_attr_get_type(attr) != IFLA_LINKINFO) continue;
        for_each_nested(attr, [&](const nlattr* info) {
            if (mnl_attr_get_type(info) != IFLA_INFO_DATA) return;
            for_each_nested(info, [&](const nlattr* peer) {
                if (mnl_attr_get_type(peer) != VETH_INFO_PEER) return;
                ifinfomsg header;
                std::memcpy(&header, mnl_attr_get_payload(peer), sizeof header);
                index = header.ifi_index;
            });
        });
    }
    return index;
}

}  // namespace

int errno_of(const std::string& name) {
    for (const ErrnoName& e : kErrnos) {
        if (name == e.name) return e.value;
    }
    return EINVAL;
}

std::optional<int> FakeTransport::AnyNetnsFds::fd_of(std::string_view netns) const {
    const auto it = fds_.find(netns);
    if (it != fds_.end()) return it->second;
    const int fd = 1000 + static_cast<int>(fds_.size());
    fds_.emplace(std::string(netns), fd);
    return fd;
}

std::optional<std::string> FakeTransport::AnyNetnsFds::netns_of(int fd) const {
    for (const auto& [name, value] : fds_) {
        if (value == fd) return name;
    }
    return std::nullopt;
}

FakeTransport::FakeTransport(live::State initial) : kernel_(std::move(initial)) {}

std::string FakeTransport::execute(const plan::Step& step, const nlmsghdr* request) {
    std::string result;
    if (request != nullptr && fails_policy(*request)) {
        result = "ERANGE";
    } else if (const int refused = refuse ? refuse(step) : 0; refused != 0) {
        result = errno_name(refused);
    } else {
        result = kernel_.apply(step);
    }
    if (result.empty() && step.kind() == plan::StepKind::create_link && request != nullptr) {
        const auto& create = plan::object_of<plan::LinkCreate>(step);
        ifinfomsg header;
        std::memcpy(&header, mnl_nlmsg_get_payload(request), sizeof header);
        if (header.ifi_index != 0) pinned_[{create.end.netns, create.end.name}] = header.ifi_index;
        if (create.peer) {
            if (const std::int32_t peer = pinned_peer_index(*request); peer != 0) {
                pinned_[{create.peer->netns, create.peer->name}] = peer;
            }
        }
    }
    processed_.push_back(Processed{step_line(step), result.empty() ? "ok" : result});
    return result;
}

rt::Result<void> FakeTransport::run_namespace_step(const plan::Step& step) {
    const std::string result = execute(step, nullptr);
    if (result.empty()) return {};
    return rt::fail_plain(errno_of(result), result);
}

rt::Result<rt::nl::BatchOutcome> FakeTransport::send(std::string_view /*netns*/, rt::nl::RequestBatch& requests,
                                                     std::span<const plan::Step* const> steps,
                                                     const rt::nl::BatchOptions& options) {
    rt::nl::BatchOutcome outcome;
    const std::size_t chunk = requests_per_send == 0 ? requests.count() : requests_per_send;
    for (std::size_t first = 0; first < requests.count(); first += chunk) {
        const std::size_t last = std::min(requests.count(), first + chunk);
        bool failed = false;
        std::vector<rt::nl::Ack> acks;
        for (std::size_t i = first; i < last; ++i) {
            const std::string result = execute(*steps[i], &requests.request(i));
            rt::nl::Ack ack;
            if (!result.empty()) {
                ack.error = errno_of(result);
                if (result == "ERANGE") ack.message = "Attribute failed policy validation";
                failed = true;
            }
            acks.push_back(std::move(ack));
        }
        ++outcome.sendmsg_calls;
        if (options.after_send) options.after_send(first, last);
        if (lose_acks_of_send == sends_++) {
            return rt::fail_plain(ENOBUFS, "netlink receive: acks lost (fake)");
        }
        for (auto& ack : acks) outcome.acks.push_back(std::move(ack));
        if (failed && options.stop_after_failure) break;
    }
    return outcome;
}

live::State FakeTransport::state() const {
    live::State s = kernel_.state();
    for (live::Link& link : s.links) {
        if (const auto it = pinned_.find({link.netns, link.name}); it != pinned_.end()) link.ifindex = it->second;
    }
    return s;
}

rt::Result<live::State> FakeTransport::read_state() {
    if (failing_reads > 0) {
        --failing_reads;
        return rt::fail_plain(EIO, "read failed (fake)");
    }
    return state();
}

void FakeTransport::poke(const plan::Step& step) { kernel_.apply(step); }

}  // namespace podnetc::test
