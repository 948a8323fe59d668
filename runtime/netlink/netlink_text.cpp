#include "runtime/netlink/netlink_text.hpp"

#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sys/socket.h>

#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "compiler/net/net_types.hpp"
#include "runtime/netlink/netlink_names.hpp"
#include "runtime/netlink/nl_attr.hpp"

namespace podnetc::rt {
namespace {

using Bytes = std::span<const std::byte>;

template <class T>
std::optional<T> read_as(Bytes bytes) {
    if (bytes.size() < sizeof(T)) return std::nullopt;
    T value;
    std::memcpy(&value, bytes.data(), sizeof(T));
    return value;
}

struct Attr {
    std::uint16_t type = 0;  // without NLA_F_NESTED / NLA_F_NET_BYTEORDER
    Bytes payload;
};

// Calls f(attr) for each well-formed attribute in `bytes` (nl_attr, as every
// decoder reads them); returns false when trailing bytes do not form an attribute.
template <class F>
bool for_each_attr(Bytes bytes, F&& f) {
    const nl::AttrRange attributes(bytes.data(), bytes.size());
    for (const nlattr& attr : attributes) f(Attr{nl::attr_type(attr), nl::attr_payload(attr)});
    return attributes.well_formed();
}

std::optional<Attr> find_attr(Bytes bytes, std::uint16_t type) {
    std::optional<Attr> found;
    for_each_attr(bytes, [&](const Attr& a) {
        if (a.type == type && !found) found = a;
    });
    return found;
}

class Printer {
public:
    explicit Printer(const TextContext& context) : context_(context) {}

    std::string message(Bytes bytes) {
        const auto header = read_as<nlmsghdr>(bytes);
        if (!header || header->nlmsg_len < NLMSG_HDRLEN) return "truncated netlink message";
        if (header->nlmsg_len > bytes.size()) {
            return fmt::format("{} truncated: {} of {} bytes", names::message_type(header->nlmsg_type), bytes.size(),
                               header->nlmsg_len);
        }
        const Bytes body = bytes.subspan(NLMSG_HDRLEN, header->nlmsg_len - NLMSG_HDRLEN);
        out_ = names::message_type(header->nlmsg_type);
        switch (header->nlmsg_type) {
        case NLMSG_ERROR:
            error(*header, body);
            return std::move(out_);
        case NLMSG_DONE:
        case NLMSG_NOOP:
            return std::move(out_);
        default:
            break;
        }
        word(names::request_flags(header->nlmsg_type, header->nlmsg_flags));
        if (context_.show_seq) field("seq", header->nlmsg_seq);
        switch (header->nlmsg_type) {
        case RTM_NEWLINK:
        case RTM_DELLINK:
        case RTM_SETLINK:
        case RTM_GETLINK:
            link(header->nlmsg_type, body);
            break;
        case RTM_NEWADDR:
        case RTM_DELADDR:
        case RTM_GETADDR:
            address(body);
            break;
        case RTM_NEWROUTE:
        case RTM_DELROUTE:
        case RTM_GETROUTE:
            route(body);
            break;
        case RTM_NEWNEIGH:
        case RTM_DELNEIGH:
        case RTM_GETNEIGH:
            neighbor(body);
            break;
        case RTM_SETNEIGHTBL:
        case RTM_NEWNEIGHTBL:
        case RTM_GETNEIGHTBL:
            neighbor_table(body);
            break;
        default:
            word(fmt::format("payload={}B", body.size()));
            break;
        }
        return std::move(out_);
    }

private:
    // ---- output helpers ---------------------------------------------------------

    void word(std::string_view text) {
        if (text.empty()) return;
        if (!out_.empty() && out_.back() != '{') out_ += ' ';
        out_ += text;
    }

    template <class T>
    void field(std::string_view name, const T& value) {
        word(fmt::format("{}={}", name, value));
    }

    void open(std::string_view name) {
        word(name);
        out_ += '{';
    }
    void close() { out_ += '}'; }

    // An ifindex of an existing link in the socket's namespace, with its name.
    std::string ifindex(std::int32_t index) const {
        if (context_.indexes != nullptr) {
            if (const auto name = context_.indexes->name_of(context_.netns, index)) {
                return fmt::format("{}({})", index, *name);
            }
        }
        return fmt::format("{}", index);
    }

    static std::string ipv4(std::uint32_t network_order) { return ip::Address::v4(ntohl(network_order)).str(); }

    static std::string mac_or_length(Bytes payload) {
        if (payload.size() == 6) {
            Mac mac;
            std::memcpy(mac.bytes.data(), payload.data(), 6);
            return mac.str();
        }
        return fmt::format("{}B", payload.size());
    }

    static std::string string_of(Bytes payload) {
        std::string text(reinterpret_cast<const char*>(payload.data()), payload.size());
        if (const auto nul = text.find('\0'); nul != std::string::npos) text.resize(nul);
        return text;
    }

    void unknown(const Attr& a) { word(fmt::format("attr#{}({}B)", a.type, a.payload.size())); }

    template <class T>
    void number(std::string_view name, const Attr& a) {
        if (const auto v = read_as<T>(a.payload); v && a.payload.size() == sizeof(T)) {
            field(name, *v);
        } else {
            word(fmt::format("{}=?({}B)", name, a.payload.size()));
        }
    }

    void address_attr(std::string_view name, const Attr& a, std::optional<std::uint8_t> prefix_len = std::nullopt) {
        const auto v = read_as<std::uint32_t>(a.payload);
        if (!v || a.payload.size() != 4) {
            word(fmt::format("{}=?({}B)", name, a.payload.size()));
        } else if (prefix_len) {
            word(fmt::format("{}={}/{}", name, ipv4(*v), *prefix_len));
        } else {
            field(name, ipv4(*v));
        }
    }

    void ifindex_attr(std::string_view name, const Attr& a) {
        if (const auto v = read_as<std::uint32_t>(a.payload); v && a.payload.size() == 4) {
            field(name, ifindex(static_cast<std::int32_t>(*v)));
        } else {
            word(fmt::format("{}=?({}B)", name, a.payload.size()));
        }
    }

    void trailing_garbage(bool well_formed) {
        if (!well_formed) word("malformed-attributes");
    }

    // ---- links --------------------------------------------------------------------

    void link(std::uint16_t type, Bytes body) {
        const auto header = read_as<ifinfomsg>(body);
        if (!header) return word("truncated-ifinfomsg");
        // In a RTM_NEWLINK the index is the one being given to the new link.
        link_header(*header, type != RTM_NEWLINK);
        trailing_garbage(for_each_attr(body.subspan(NLMSG_ALIGN(sizeof(ifinfomsg))), [&](const Attr& a) {
            link_attr(a);
        }));
    }

    void link_header(const ifinfomsg& h, bool existing) {
        if (h.ifi_family != AF_UNSPEC) field("family", names::address_family(h.ifi_family));
        if (h.ifi_index != 0 || !existing) {
            field("ifindex", existing ? ifindex(h.ifi_index) : fmt::format("{}", h.ifi_index));
        }
        if (h.ifi_change == IFF_UP) {
            word((h.ifi_flags & IFF_UP) != 0 ? "up" : "down");
            if ((h.ifi_flags & ~IFF_UP) != 0) field("flags", names::link_flags(h.ifi_flags & ~IFF_UP));
        } else if (h.ifi_flags != 0 || h.ifi_change != 0) {
            field("flags", names::link_flags(h.ifi_flags));
            field("change", names::link_flags(h.ifi_change));
        }
    }

    void link_attr(const Attr& a) {
        switch (a.type) {
        case IFLA_IFNAME: return field("name", string_of(a.payload));
        case IFLA_ADDRESS: return field("mac", mac_or_length(a.payload));
        case IFLA_MTU: return number<std::uint32_t>("mtu", a);
        case IFLA_GROUP: return number<std::uint32_t>("group", a);
        case IFLA_MASTER:
            if (read_as<std::uint32_t>(a.payload) == 0u && a.payload.size() == 4) return field("master", "0(none)");
            return ifindex_attr("master", a);
        case IFLA_IFALIAS: return field("alias", string_of(a.payload));
        case IFLA_NET_NS_FD: return netns_fd(a);
        case IFLA_LINKINFO: return link_info(a.payload);
        case IFLA_AF_SPEC: return af_spec(a.payload);
        default: return unknown(a);
        }
    }

    void netns_fd(const Attr& a) {
        const auto fd = read_as<std::int32_t>(a.payload);
        if (!fd) return word("netns_fd=?");
        if (context_.fds != nullptr) {
            if (const auto name = context_.fds->netns_of(*fd)) {
                return field("netns", name->empty() ? std::string{"host"} : *name);
            }
        }
        field("netns_fd", *fd);
    }

    void link_info(Bytes nest) {
        open("linkinfo");
        const auto kind = find_attr(nest, IFLA_INFO_KIND);
        const std::string kind_name = kind ? string_of(kind->payload) : std::string{};
        trailing_garbage(for_each_attr(nest, [&](const Attr& a) {
            if (a.type == IFLA_INFO_KIND) return field("kind", kind_name);
            if (a.type == IFLA_INFO_DATA && kind_name == "veth") return veth_data(a.payload);
            unknown(a);
        }));
        close();
    }

    void veth_data(Bytes nest) {
        open("data");
        trailing_garbage(for_each_attr(nest, [&](const Attr& a) {
            if (a.type != VETH_INFO_PEER) return unknown(a);
            open("peer");
            const auto header = read_as<ifinfomsg>(a.payload);
            if (header) {
                link_header(*header, /*existing=*/false);
                trailing_garbage(for_each_attr(a.payload.subspan(NLMSG_ALIGN(sizeof(ifinfomsg))),
                                               [&](const Attr& p) { link_attr(p); }));
            } else {
                word("truncated-ifinfomsg");
            }
            close();
        }));
        close();
    }

    void af_spec(Bytes nest) {
        open("af_spec");
        trailing_garbage(for_each_attr(nest, [&](const Attr& family) {
            if (family.type != AF_INET) return unknown(family);
            open("inet");
            trailing_garbage(for_each_attr(family.payload, [&](const Attr& a) {
                if (a.type != IFLA_INET_CONF) return unknown(a);
                open("conf");
                trailing_garbage(for_each_attr(a.payload, [&](const Attr& entry) {
                    number<std::uint32_t>(names::ipv4_devconf(entry.type), entry);
                }));
                close();
            }));
            close();
        }));
        close();
    }

    // ---- addresses, routes, neighbours ------------------------------------------

    void address(Bytes body) {
        const auto h = read_as<ifaddrmsg>(body);
        if (!h) return word("truncated-ifaddrmsg");
        if (h->ifa_family != AF_INET) field("family", names::address_family(h->ifa_family));
        field("ifindex", ifindex(static_cast<std::int32_t>(h->ifa_index)));
        field("prefixlen", static_cast<unsigned>(h->ifa_prefixlen));
        field("scope", names::route_scope(h->ifa_scope));
        if (h->ifa_flags != 0) field("flags", static_cast<unsigned>(h->ifa_flags));
        trailing_garbage(for_each_attr(body.subspan(NLMSG_ALIGN(sizeof(ifaddrmsg))), [&](const Attr& a) {
            switch (a.type) {
            case IFA_LOCAL: return address_attr("local", a);
            case IFA_ADDRESS: return address_attr("address", a);
            case IFA_BROADCAST: return address_attr("broadcast", a);
            case IFA_LABEL: return field("label", string_of(a.payload));
            case IFA_PROTO: return number<std::uint8_t>("proto", a);
            case IFA_FLAGS: return number<std::uint32_t>("flags", a);
            default: return unknown(a);
            }
        }));
    }

    void route(Bytes body) {
        const auto h = read_as<rtmsg>(body);
        if (!h) return word("truncated-rtmsg");
        if (h->rtm_family != AF_INET) field("family", names::address_family(h->rtm_family));
        field("table", names::route_table(h->rtm_table));
        field("proto", names::route_protocol(h->rtm_protocol));
        field("scope", names::route_scope(h->rtm_scope));
        field("type", names::route_type(h->rtm_type));
        if ((h->rtm_flags & RTNH_F_ONLINK) != 0) word("onlink");
        if ((h->rtm_flags & ~RTNH_F_ONLINK) != 0) field("flags", h->rtm_flags & ~RTNH_F_ONLINK);
        if (h->rtm_tos != 0) field("tos", static_cast<unsigned>(h->rtm_tos));
        if (h->rtm_src_len != 0) field("src_len", static_cast<unsigned>(h->rtm_src_len));
        const Bytes attrs = body.subspan(NLMSG_ALIGN(sizeof(rtmsg)));
        // The default route has no RTA_DST: show it anyway, destinations are the point.
        if (h->rtm_dst_len == 0 && !find_attr(attrs, RTA_DST)) field("dst", "0.0.0.0/0");
        else if (!find_attr(attrs, RTA_DST)) field("dst_len", static_cast<unsigned>(h->rtm_dst_len));
        trailing_garbage(for_each_attr(attrs, [&](const Attr& a) {
            switch (a.type) {
            case RTA_DST: return address_attr("dst", a, h->rtm_dst_len);
            case RTA_SRC: return address_attr("src", a, h->rtm_src_len);
            case RTA_GATEWAY: return address_attr("gateway", a);
            case RTA_PREFSRC: return address_attr("prefsrc", a);
            case RTA_OIF: return ifindex_attr("oif", a);
            case RTA_PRIORITY: return number<std::uint32_t>("metric", a);
            case RTA_TABLE: {
                const auto table = read_as<std::uint32_t>(a.payload);
                if (table && a.payload.size() == 4) return field("table", names::route_table(*table));
                return unknown(a);
            }
            default: return unknown(a);
            }
        }));
    }

    void neighbor(Bytes body) {
        const auto h = read_as<ndmsg>(body);
        if (!h) return word("truncated-ndmsg");
        if (h->ndm_family != AF_INET) field("family", names::address_family(h->ndm_family));
        field("ifindex", ifindex(h->ndm_ifindex));
        if (h->ndm_state != 0) field("state", names::neighbor_state(h->ndm_state));
        if (h->ndm_flags != 0) field("flags", static_cast<unsigned>(h->ndm_flags));
        if (h->ndm_type != 0) field("type", names::route_type(h->ndm_type));
        trailing_garbage(for_each_attr(body.subspan(NLMSG_ALIGN(sizeof(ndmsg))), [&](const Attr& a) {
            switch (a.type) {
            case NDA_DST: return address_attr("dst", a);
            case NDA_LLADDR: return field("lladdr", mac_or_length(a.payload));
            case NDA_PROTOCOL: return number<std::uint8_t>("protocol", a);
            default: return unknown(a);
            }
        }));
    }

    void neighbor_table(Bytes body) {
        const auto h = read_as<ndtmsg>(body);
        if (!h) return word("truncated-ndtmsg");
        field("family", names::address_family(h->ndtm_family));
        trailing_garbage(for_each_attr(body.subspan(NLMSG_ALIGN(sizeof(ndtmsg))), [&](const Attr& a) {
            if (a.type == NDTA_NAME) return field("name", string_of(a.payload));
            if (a.type != NDTA_PARMS) return unknown(a);
            open("parms");
            trailing_garbage(for_each_attr(a.payload, [&](const Attr& p) {
                switch (p.type) {
                case NDTPA_IFINDEX: return ifindex_attr("ifindex", p);
                case NDTPA_PROXY_DELAY: {
                    const auto ms = read_as<std::uint64_t>(p.payload);
                    if (ms && p.payload.size() == 8) return word(fmt::format("proxy_delay={}ms", *ms));
                    return unknown(p);
                }
                default: return unknown(p);
                }
            }));
            close();
        }));
    }

    // ---- answers ------------------------------------------------------------------

    void error(const nlmsghdr& header, Bytes body) {
        const auto e = read_as<nlmsgerr>(body);
        if (!e) return word("truncated");
        word(e->error == 0 ? std::string{"ok"} : names::error_code(-e->error));
        word(fmt::format("for {} seq={}", names::message_type(e->msg.nlmsg_type), e->msg.nlmsg_seq));
        if ((header.nlmsg_flags & NLM_F_ACK_TLVS) == 0) return;
        // The request comes back whole unless the socket asked for capped acks.
        std::size_t echoed = sizeof(nlmsghdr);
        if ((header.nlmsg_flags & NLM_F_CAPPED) == 0) echoed = std::max<std::size_t>(e->msg.nlmsg_len, echoed);
        const std::size_t tlvs = NLMSG_ALIGN(sizeof(int) + echoed);
        if (tlvs > body.size()) return word("truncated-ext-ack");
        trailing_garbage(for_each_attr(body.subspan(tlvs), [&](const Attr& a) {
            switch (a.type) {
            case NLMSGERR_ATTR_MSG: return word(fmt::format("msg=\"{}\"", string_of(a.payload)));
            case NLMSGERR_ATTR_OFFS: return number<std::uint32_t>("offset", a);
            case NLMSGERR_ATTR_MISS_TYPE: return number<std::uint32_t>("missing_attr", a);
            case NLMSGERR_ATTR_MISS_NEST: return number<std::uint32_t>("missing_in_nest_at", a);
            default: return unknown(a);
            }
        }));
    }

    const TextContext& context_;
    std::string out_;
};

}  // namespace

std::string message_text(std::span<const std::byte> bytes, const TextContext& context) {
    return Printer{context}.message(bytes);
}

std::string messages_text(std::span<const std::byte> bytes, const TextContext& context) {
    std::string text;
    while (bytes.size() >= NLMSG_HDRLEN) {
        const auto header = read_as<nlmsghdr>(bytes);
        text += message_text(bytes, context);
        text += '\n';
        if (header->nlmsg_len < NLMSG_HDRLEN || header->nlmsg_len > bytes.size()) break;
        bytes = bytes.subspan(std::min<std::size_t>(NLMSG_ALIGN(header->nlmsg_len), bytes.size()));
    }
    return text;
}

}  // namespace podnetc::rt
