#include "runtime/netlink/netlink_encode.hpp"

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sys/socket.h>

#include <fmt/format.h>


namespace podnetc::rt {
namespace {

using plan::StepKind;

constexpr std::uint16_t kAck = NLM_F_ACK;
constexpr std::uint16_t kCreate = NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
constexpr std::uint16_t kReplace = NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE;

EncodeResult failure(EncodeStatus status, std::string error) { return {status, 0, std::move(error)}; }

std::string_view shown(std::string_view netns) { return netns.empty() ? std::string_view{"host"} : netns; }

EncodeResult unknown_link(std::string_view netns, std::string_view name) {
    return failure(EncodeStatus::unknown_link, fmt::format("no link {} in namespace {}", name, shown(netns)));
}

std::uint8_t address_family(ip::Family family) {
    return family == ip::Family::v4 ? std::uint8_t{AF_INET} : std::uint8_t{AF_INET6};
}

void put_address(nl::MessageWriter& w, std::uint16_t type, const ip::Address& address) {
    const auto bytes = address.bytes();
    w.put(type, bytes.data(), bytes.size());
}

void put_mac(nl::MessageWriter& w, std::uint16_t type, const std::optional<Mac>& mac) {
    if (mac) w.put(type, mac->bytes.data(), mac->bytes.size());
}

// Encodes one step kind. Lookups and index choices come first; the IndexMap is
// changed only once the message is known to fit.
class Encoder {
public:
    Encoder(IndexMap& indexes, const NetnsFds& fds, nl::RequestBatch& batch)
        : indexes_(indexes), fds_(fds), batch_(batch), room_(batch.room()) {}

    EncodeResult create_link(const plan::LinkCreate& c) {
        const plan::LinkEnd& end = c.end;
        const bool veth = c.kind == kernel::kVeth;
        if (veth != c.peer.has_value()) {
            return failure(EncodeStatus::invalid_step,
                           fmt::format("link {}: a veth needs a peer, a bridge has none", end.name));
        }
        std::optional<std::int32_t> master;
        if (!c.master.empty()) {
            master = indexes_.find(end.netns, c.master);
            if (!master) return unknown_link(end.netns, c.master);
        }
        const std::int32_t ifindex = indexes_.choose(end.netns, end.name);
        std::int32_t peer_ifindex = 0;
        std::optional<int> peer_fd;
        if (veth) {
            const bool same_netns = c.peer->netns == end.netns;
            peer_ifindex = indexes_.choose(c.peer->netns, c.peer->name,
                                           same_netns ? std::optional{ifindex} : std::nullopt);
            if (!same_netns) {
                peer_fd = fds_.fd_of(c.peer->netns);
                if (!peer_fd) {
                    return failure(EncodeStatus::unknown_netns,
                                   fmt::format("no descriptor for namespace {}", shown(c.peer->netns)));
                }
            }
        }

        ifinfomsg header{};
        header.ifi_family = AF_UNSPEC;
        header.ifi_index = ifindex;
        if (c.up) {
            header.ifi_flags = IFF_UP;
            header.ifi_change = IFF_UP;
        }
        nl::MessageWriter w = batch_.add(RTM_NEWLINK, kCreate, header);
        put_link_attributes(w, end);
        if (master) w.put_u32(IFLA_MASTER, static_cast<std::uint32_t>(*master));
        nlattr* linkinfo = w.begin_nest(IFLA_LINKINFO);
        w.put_string(IFLA_INFO_KIND, c.kind);
        if (veth) {
            nlattr* data = w.begin_nest(IFLA_INFO_DATA);
            nlattr* peer = w.begin_nest(VETH_INFO_PEER);
            ifinfomsg peer_header{};
            peer_header.ifi_family = AF_UNSPEC;
            peer_header.ifi_index = peer_ifindex;  // never IFF_UP here: ENOTCONN (KERNEL-FACTS #1)
            w.put_header(peer_header);
            w.put_string(IFLA_IFNAME, c.peer->name);
            if (peer_fd) w.put_u32(IFLA_NET_NS_FD, static_cast<std::uint32_t>(*peer_fd));
            put_link_attributes(w, *c.peer, /*with_name=*/false);
            w.end_nest(peer);
            w.end_nest(data);
        }
        w.end_nest(linkinfo);

        EncodeResult result = finish(w);
        if (!result.ok()) return result;
        IndexMap::Entry entry{ifindex, end.group, {}, {}};
        if (veth) {
            entry.peer_netns = c.peer->netns;
            entry.peer_name = c.peer->name;
            indexes_.add(c.peer->netns, c.peer->name,
                         IndexMap::Entry{peer_ifindex, c.peer->group, end.netns, end.name});
        }
        indexes_.add(end.netns, end.name, std::move(entry));
        return result;
    }

    EncodeResult change_link(const plan::LinkChange& c) {
        const auto ifindex = indexes_.find(c.netns, c.name);
        if (!ifindex) return unknown_link(c.netns, c.name);
        std::optional<std::int32_t> master;
        if (c.master && !c.master->empty()) {
            master = indexes_.find(c.netns, *c.master);
            if (!master) return unknown_link(c.netns, *c.master);
        }

        ifinfomsg header{};
        header.ifi_family = AF_UNSPEC;
        header.ifi_index = *ifindex;  // never IFLA_IFNAME with an index: that renames
        if (c.up) {
            header.ifi_flags = *c.up ? IFF_UP : 0;
            header.ifi_change = IFF_UP;
        }
        nl::MessageWriter w = batch_.add(RTM_SETLINK, kAck, header);
        if (c.mtu) w.put_u32(IFLA_MTU, *c.mtu);
        put_mac(w, IFLA_ADDRESS, c.mac);
        if (c.master) w.put_u32(IFLA_MASTER, static_cast<std::uint32_t>(master.value_or(0)));  // 0: nomaster
        if (c.group) w.put_u32(IFLA_GROUP, *c.group);
        if (c.proxy_arp || c.forwarding) {
            // IFLA_AF_SPEC { AF_INET { IFLA_INET_CONF { devconf index (1-based) = u32 } } }
            nlattr* af_spec = w.begin_nest(IFLA_AF_SPEC);
            nlattr* inet = w.begin_nest(AF_INET);
            nlattr* conf = w.begin_nest(IFLA_INET_CONF);
            if (c.forwarding) w.put_u32(IPV4_DEVCONF_FORWARDING, *c.forwarding ? 1 : 0);
            if (c.proxy_arp) w.put_u32(IPV4_DEVCONF_PROXY_ARP, *c.proxy_arp ? 1 : 0);
            w.end_nest(conf);
            w.end_nest(inet);
            w.end_nest(af_spec);
        }

        EncodeResult result = finish(w);
        if (result.ok() && c.group) indexes_.set_group(c.netns, c.name, *c.group);
        return result;
    }

    EncodeResult delete_link(const plan::LinkDelete& d) {
        std::int32_t ifindex = 0;
        if (!d.group) {
            const auto found = indexes_.find(d.netns, d.name);
            if (!found) return unknown_link(d.netns, d.name);
            ifindex = *found;
        }
        ifinfomsg header{};
        header.ifi_family = AF_UNSPEC;
        header.ifi_index = ifindex;  // 0 with IFLA_GROUP: every link of the group
        nl::MessageWriter w = batch_.add(RTM_DELLINK, kAck, header);
        if (d.group) w.put_u32(IFLA_GROUP, *d.group);

        EncodeResult result = finish(w);
        if (!result.ok()) return result;
        if (d.group) {
            indexes_.remove_group(d.netns, *d.group);
        } else {
            indexes_.remove(d.netns, d.name);
        }
        return result;
    }

    EncodeResult set_neigh_parms(const plan::NeighParms& p) {
        const auto ifindex = indexes_.find(p.netns, p.dev);
        if (!ifindex) return unknown_link(p.netns, p.dev);
        ndtmsg header{};
        header.ndtm_family = AF_INET;
        nl::MessageWriter w = batch_.add(RTM_SETNEIGHTBL, kAck, header);
        w.put_string(NDTA_NAME, "arp_cache");
        nlattr* parms = w.begin_nest(NDTA_PARMS);
        w.put_u32(NDTPA_IFINDEX, static_cast<std::uint32_t>(*ifindex));
        w.put_u64(NDTPA_PROXY_DELAY, p.proxy_delay_ms);  // msecs
        w.end_nest(parms);
        return finish(w);
    }

    EncodeResult address(StepKind kind, const kernel::Address& a) {
        const auto ifindex = indexes_.find(a.netns, a.dev);
        if (!ifindex) return unknown_link(a.netns, a.dev);
        const bool remove = kind == StepKind::delete_address;
        const std::uint16_t flags = remove ? kAck : kind == StepKind::add_address ? kCreate : kReplace;
        ifaddrmsg header{};
        header.ifa_family = address_family(a.local.family());
        header.ifa_prefixlen = a.local.len;
        header.ifa_scope = a.scope;
        header.ifa_index = static_cast<std::uint32_t>(*ifindex);
        nl::MessageWriter w = batch_.add(remove ? RTM_DELADDR : RTM_NEWADDR, flags, header);
        put_address(w, IFA_LOCAL, a.local.addr);
        put_address(w, IFA_ADDRESS, a.peer.value_or(a.local.addr));
        // RTM_DELADDR matches on local, address and prefix length only; a replace
        // sets the protocol (0 when absent), so 0 needs no attribute.
        if (!remove && a.protocol != 0) w.put_u8(IFA_PROTO, a.protocol);
        return finish(w);
    }

    EncodeResult route(StepKind kind, const kernel::Route& r) {
        std::optional<std::int32_t> oif;
        if (!r.dev.empty()) {
            oif = indexes_.find(r.netns, r.dev);
            if (!oif) return unknown_link(r.netns, r.dev);
        }
        const bool remove = kind == StepKind::delete_route;
        const std::uint16_t flags = remove ? kAck : kind == StepKind::add_route ? kCreate : kReplace;
        rtmsg header{};
        header.rtm_family = address_family(r.dst.family());
        header.rtm_dst_len = r.dst.len;
        header.rtm_table = r.table < 256 ? static_cast<std::uint8_t>(r.table) : std::uint8_t{RT_TABLE_UNSPEC};
        // A delete names the route exactly, protocol included: it never removes a
        // route podnetc does not own that happens to have the same destination.
        header.rtm_protocol = r.protocol;
        header.rtm_scope = r.scope;
        header.rtm_type = r.type;
        header.rtm_flags = r.onlink() ? RTNH_F_ONLINK : 0;
        nl::MessageWriter w = batch_.add(remove ? RTM_DELROUTE : RTM_NEWROUTE, flags, header);
        if (r.table >= 256) w.put_u32(RTA_TABLE, r.table);
        if (r.dst.len != 0) put_address(w, RTA_DST, r.dst.addr);
        if (r.gateway) put_address(w, RTA_GATEWAY, *r.gateway);
        if (oif) w.put_u32(RTA_OIF, static_cast<std::uint32_t>(*oif));
        if (r.prefsrc) put_address(w, RTA_PREFSRC, *r.prefsrc);
        if (r.metric != 0) w.put_u32(RTA_PRIORITY, r.metric);
        return finish(w);
    }

    EncodeResult neighbor(StepKind kind, const kernel::Neighbor& n) {
        const auto ifindex = indexes_.find(n.netns, n.dev);
        if (!ifindex) return unknown_link(n.netns, n.dev);
        const bool remove = kind == StepKind::delete_neighbor;
        // Even a new entry is sent as a replace: traffic re-learns an entry at the
        // declared key (a dynamic one, which the state reader does not keep) at any
        // moment, also between the read and this request, and an exclusive create
        // would then fail with EEXIST on every apply. A permanent entry replaces a
        // learned one; undoing it deletes it, and the kernel learns again.
        const std::uint16_t flags = remove ? kAck : kReplace;
        ndmsg header{};
        header.ndm_family = address_family(n.dst.family());
        header.ndm_ifindex = *ifindex;
        if (!remove) header.ndm_state = n.state;
        nl::MessageWriter w = batch_.add(remove ? RTM_DELNEIGH : RTM_NEWNEIGH, flags, header);
        put_address(w, NDA_DST, n.dst);
        if (!remove) {
            put_mac(w, NDA_LLADDR, n.lladdr);
            // The kernel keeps an entry's protocol when a replace carries none (or
            // 0): restoring protocol 0 takes a delete and an add.
            if (n.protocol != 0) w.put_u8(NDA_PROTOCOL, n.protocol);
        }
        return finish(w);
    }

private:
    static void put_link_attributes(nl::MessageWriter& w, const plan::LinkEnd& end, bool with_name = true) {
        if (with_name) w.put_string(IFLA_IFNAME, end.name);
        if (end.group != 0) w.put_u32(IFLA_GROUP, end.group);
        put_mac(w, IFLA_ADDRESS, end.mac);
        if (end.mtu != 0) w.put_u32(IFLA_MTU, end.mtu);
    }

    // The request is complete: report its length, or take it back if it did not fit.
    EncodeResult finish(const nl::MessageWriter& w) {
        if (!w.ok()) {
            if (w.message() != nullptr) batch_.drop_last();
            return failure(EncodeStatus::no_room, fmt::format("the message does not fit in {} bytes", room_));
        }
        return {EncodeStatus::ok, NLMSG_ALIGN(w.message()->nlmsg_len), {}};
    }

    IndexMap& indexes_;
    const NetnsFds& fds_;
    nl::RequestBatch& batch_;
    std::size_t room_;  // bytes the batch had left before this request
};

}  // namespace

bool is_netlink(plan::StepKind kind) {
    switch (kind) {
    case StepKind::create_netns:
    case StepKind::delete_netns:
    case StepKind::register_netns:
    case StepKind::unregister_netns:
        return false;
    default:
        return true;
    }
}

EncodeResult encode(const plan::Step& step, IndexMap& indexes, const NetnsFds& fds, nl::RequestBatch& batch) {
    if (!batch.aligned()) return failure(EncodeStatus::bad_buffer, "the buffer is not 4-byte aligned");
    Encoder e(indexes, fds, batch);
    switch (step.kind()) {
    case StepKind::create_netns:
    case StepKind::delete_netns:
    case StepKind::register_netns:
    case StepKind::unregister_netns: {
        const auto& ns = plan::object_of<plan::NetnsSpec>(step);
        if (step.kind() == StepKind::create_netns) indexes.namespace_created(ns.name);
        if (step.kind() == StepKind::delete_netns) indexes.namespace_deleted(ns.name);
        return failure(EncodeStatus::not_netlink,
                       fmt::format("{} is a namespace operation, not a netlink request", plan::step_kind_name(step.kind())));
    }
    case StepKind::create_link: return e.create_link(plan::object_of<plan::LinkCreate>(step));
    case StepKind::change_link: return e.change_link(plan::object_of<plan::LinkChange>(step));
    case StepKind::delete_link: return e.delete_link(plan::object_of<plan::LinkDelete>(step));
    case StepKind::set_neigh_parms: return e.set_neigh_parms(plan::object_of<plan::NeighParms>(step));
    case StepKind::add_address:
    case StepKind::replace_address:
    case StepKind::delete_address: return e.address(step.kind(), plan::object_of<kernel::Address>(step));
    case StepKind::add_route:
    case StepKind::replace_route:
    case StepKind::delete_route: return e.route(step.kind(), plan::object_of<kernel::Route>(step));
    case StepKind::add_neighbor:
    case StepKind::replace_neighbor:
    case StepKind::delete_neighbor: return e.neighbor(step.kind(), plan::object_of<kernel::Neighbor>(step));
    }
    return failure(EncodeStatus::invalid_step, "unknown step kind");
}

}  // namespace podnetc::rt
