#include "runtime/read/netlink_reader.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "runtime/netlink/dump_retry.hpp"
#include "runtime/read/live_assemble.hpp"
#include "runtime/netns/netns_registry.hpp"
#include "runtime/netns/netns_socket.hpp"
#include "runtime/netlink/rtnl_decode.hpp"
#include "runtime/netlink/rtnl_requests.hpp"

namespace podnetc::rt {
namespace {

std::string describe_netns(const std::string& name) {
    return name.empty() ? std::string("the host namespace") : fmt::format("namespace '{}'", name);
}

// One namespace to read. Its handle stays open for the whole read, so that nsid
// queries from the other namespaces can name it; its socket lives only while it
// is being read.
struct OpenNetns {
    std::string name;
    NetnsHandle handle;
    bool full = true;  // all dumps, or links only (to name peers)
};

// The state of one read_state() call: the options and one receive buffer shared
// by every dump.
class Session {
public:
    explicit Session(const ReadOptions& options) : options_(options), receive_buffer_(nl::kReceiveBufferSize) {}

    // `all.front()` is the host: the calling thread's own namespace.
    Result<NetnsDump> read_netns(const OpenNetns& netns, const std::vector<OpenNetns>& all,
                                 std::optional<bool>* ip_forward);

private:
    // Runs one dump to completion, repeating it while the kernel flags it interrupted.
    template <class Record, class Decode>
    Result<void> run_dump(nl::NetlinkSocket& socket, bool (*add_request)(nl::RequestBatch&), Decode decode,
                          std::vector<Record>& out, const char* what, const std::string& netns);
    Result<void> resolve_nsids(nl::NetlinkSocket& socket, const OpenNetns& reader,
                               const std::vector<OpenNetns>& all, NetnsDump& dump);
    Result<std::optional<bool>> read_ip_forward(nl::NetlinkSocket& socket);

    const ReadOptions& options_;
    std::vector<std::byte> receive_buffer_;
};

template <class Record, class Decode>
Result<void> Session::run_dump(nl::NetlinkSocket& socket, bool (*add_request)(nl::RequestBatch&), Decode decode,
                               std::vector<Record>& out, const char* what, const std::string& netns) {
    return dump_until_complete(
        options_.dump_attempts,
        [&]() -> Result<nl::DumpEnd> {
            out.clear();
            alignas(8) std::array<std::byte, 256> request_buffer{};
            nl::RequestBatch request(request_buffer);
            if (!add_request(request)) return fail_plain(0, "the request does not fit its buffer");
            return socket.dump(request.request(0), receive_buffer_, [&](const nlmsghdr& message) -> Result<void> {
                if (auto record = decode(message)) out.push_back(std::move(*record));
                return {};
            });
        },
        fmt::format("{} of {}", what, describe_netns(netns)));
}

// Names the nsids this namespace's veths point at. Pods' peers are nearly always
// in the host, so the host is asked first, alone; only nsids still unknown after
// that (a mesh, or the host's own view) cost one query per other namespace, all in
// one batch.
Result<void> Session::resolve_nsids(nl::NetlinkSocket& socket, const OpenNetns& reader,
                                    const std::vector<OpenNetns>& all, NetnsDump& dump) {
    std::set<std::int32_t> wanted;
    for (const RawLink& link : dump.links) {
        if (link.peer_nsid) wanted.insert(*link.peer_nsid);
    }
    auto ask = [&](std::vector<const OpenNetns*> candidates) -> Result<void> {
        if (candidates.empty()) return {};
        std::vector<std::byte> buffer(candidates.size() * 64);
        nl::RequestBatch batch(buffer);
        for (const OpenNetns* candidate : candidates) {
            if (!add_nsid_query(batch, candidate->handle.fd())) return fail(0, "nsid query does not fit");
        }
        auto outcome = socket.send_batch(batch, receive_buffer_, nl::BatchOptions{false, 0, {}},
                                         [&](std::size_t index, const nlmsghdr& message) -> Result<void> {
                                             if (auto nsid = decode_nsid(message)) {
                                                 dump.nsid_names[*nsid] = candidates[index]->name;
                                                 wanted.erase(*nsid);
                                             }
                                             return {};
                                         });
        if (!outcome) return fail(std::move(outcome).error());
        if (!outcome->all_ok()) {
            const auto& ack = outcome->acks[outcome->first_failure()];
            return fail_plain(ack.error, fmt::format("RTM_GETNSID in {}: {}", describe_netns(reader.name), nl::describe(ack)));
        }
        return {};
    };
    if (wanted.empty()) return {};
    std::vector<const OpenNetns*> others;
    for (const OpenNetns& candidate : all) {
        if (&candidate != &reader) others.push_back(&candidate);
    }
    if (!reader.name.empty()) {
        const auto host = std::find_if(others.begin(), others.end(), [](const OpenNetns* n) { return n->name.empty(); });
        if (host != others.end()) {
            if (auto asked = ask({*host}); !asked) return asked;
            others.erase(host);
        }
    }
    if (wanted.empty()) return {};
    return ask(others);
}

Result<std::optional<bool>> Session::read_ip_forward(nl::NetlinkSocket& socket) {
    alignas(8) std::array<std::byte, 128> buffer{};
    nl::RequestBatch batch(buffer);
    if (!add_ipv4_netconf_query(batch)) return fail(0, "netconf query does not fit");
    std::optional<bool> forwarding;
    auto outcome = socket.send_batch(batch, receive_buffer_, {}, [&](std::size_t, const nlmsghdr& message) -> Result<void> {
        if (auto value = decode_netconf_forwarding(message)) forwarding = value;
        return {};
    });
    if (!outcome) return fail(std::move(outcome).error());
    if (!outcome->all_ok()) {
        return fail_plain(outcome->acks.front().error, fmt::format("RTM_GETNETCONF: {}", nl::describe(outcome->acks.front())));
    }
    return forwarding;
}

Result<NetnsDump> Session::read_netns(const OpenNetns& netns, const std::vector<OpenNetns>& all,
                                      std::optional<bool>* ip_forward) {
    const NetnsHandle& host = all.front().handle;
    auto socket = netns.name.empty() ? nl::NetlinkSocket::open() : open_netlink_socket_in(netns.handle, host);
    if (!socket) {
        return fail_plain(socket.error().code, fmt::format("read {}: {}", describe_netns(netns.name), socket.error().message));
    }
    NetnsDump dump;
    dump.netns = netns.name;
    if (auto r = run_dump(*socket, add_link_dump, decode_link, dump.links, "links", netns.name); !r) return fail(r.error());
    if (netns.full) {
        if (auto r = run_dump(*socket, add_address_dump, decode_address, dump.addresses, "addresses", netns.name); !r) {
            return fail(r.error());
        }
        if (auto r = run_dump(*socket, add_route_dump, decode_route, dump.routes, "routes", netns.name); !r) {
            return fail(r.error());
        }
        if (auto r = run_dump(*socket, add_neighbor_dump, decode_neighbor, dump.neighbors, "neighbours", netns.name); !r) {
            return fail(r.error());
        }
    }
    // The kernel walks the parameters of every namespace's devices to answer this
    // dump, so reading it in each pod would cost O(pods²); only host veths ever need
    // proxy_delay (route mode), so it is read in the host namespace only.
    if (netns.full && netns.name.empty()) {
        if (auto r = run_dump(*socket, add_neigh_table_dump, decode_neigh_parms, dump.neigh_parms, "ARP table parameters",
                              netns.name);
            !r) {
            return fail(r.error());
        }
    }
    if (auto r = resolve_nsids(*socket, netns, all, dump); !r) return fail(r.error());
    if (ip_forward != nullptr) {
        auto forwarding = read_ip_forward(*socket);
        if (!forwarding) return fail(forwarding.error());
        *ip_forward = *forwarding;
    }
    return dump;
}

}  // namespace

Result<live::State> NetlinkKernelReader::read_state(const ReadOptions& options) {
    auto host = NetnsHandle::current();
    if (!host) return fail(host.error());
    auto names = list_named_netns(options.netns_run_dir);
    if (!names) return fail(names.error());
    auto registered = NetnsRegistry(options.state_dir).list();
    if (!registered) return fail(registered.error());
    const std::set<std::string> owned(registered->begin(), registered->end());

    if (options.only_netns && !options.only_netns->empty() &&
        !std::binary_search(names->begin(), names->end(), *options.only_netns)) {
        return fail_plain(ENOENT, fmt::format("there is no namespace '{}' in {}", *options.only_netns, options.netns_run_dir));
    }
    auto selected = [&](const std::string& name) { return !options.only_netns || *options.only_netns == name; };

    AssembleInput input;
    input.only_netns = options.only_netns;
    input.namespaces.push_back(live::Netns{"", false, ""});
    std::vector<OpenNetns> open;
    open.push_back(OpenNetns{"", std::move(*host), selected("")});
    for (const std::string& name : *names) {
        live::Netns entry{name, owned.count(name) != 0, ""};
        auto handle = NetnsHandle::open_named(name, options.netns_run_dir);
        if (!handle) {
            entry.unreadable = handle.error().message;
        } else {
            const auto same = std::find_if(open.begin(), open.end(),
                                           [&](const OpenNetns& o) { return o.handle.same_namespace(*handle); });
            if (same != open.end()) {
                entry.unreadable = fmt::format("the same namespace as {}; read there", describe_netns(same->name));
            } else {
                open.push_back(OpenNetns{name, std::move(*handle), selected(name)});
            }
        }
        input.namespaces.push_back(std::move(entry));
    }

    Session session(options);
    for (const OpenNetns& netns : open) {
        std::optional<bool>* ip_forward = netns.name.empty() && netns.full ? &input.ip_forward : nullptr;
        auto dump = session.read_netns(netns, open, ip_forward);
        if (!dump) return fail(dump.error());
        input.dumps.push_back(std::move(*dump));
    }
    return assemble_live_state(std::move(input));
}

}  // namespace podnetc::rt
