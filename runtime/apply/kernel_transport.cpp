#include "runtime/apply/kernel_transport.hpp"

#include <cerrno>

#include <fmt/format.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>

#include "compiler/objects/kernel_values.hpp"
#include "runtime/netlink/rtnl_subscription.hpp"
#include "runtime/read/netlink_reader.hpp"
#include "runtime/netns/netns_socket.hpp"

namespace podnetc::rt {

Result<std::unique_ptr<KernelTransport>> KernelTransport::open(const ReadOptions& read_options) {
    auto host = NetnsHandle::current();
    if (!host) return fail(std::move(host).error());
    return std::unique_ptr<KernelTransport>(new KernelTransport(read_options, std::move(*host)));
}

KernelTransport::KernelTransport(ReadOptions read_options, NetnsHandle host)
    : read_options_(std::move(read_options)),
      registry_(read_options_.state_dir),
      host_(std::move(host)),
      receive_buffer_(nl::kReceiveBufferSize) {}

std::optional<int> KernelTransport::Descriptors::fd_of(std::string_view netns) const {
    auto handle = owner_.handle(netns);
    if (!handle) return std::nullopt;
    return (*handle)->fd();
}

std::optional<std::string> KernelTransport::Descriptors::netns_of(int fd) const {
    if (fd == owner_.host_.fd()) return std::string();
    for (const auto& [name, handle] : owner_.handles_) {
        if (handle.fd() == fd) return name;
    }
    return std::nullopt;
}

Result<const NetnsHandle*> KernelTransport::handle(std::string_view netns) const {
    if (netns.empty()) return &host_;
    if (const auto it = handles_.find(netns); it != handles_.end()) return &it->second;
    auto opened = NetnsHandle::open_named(netns, read_options_.netns_run_dir);
    if (!opened) return fail(std::move(opened).error());
    return &handles_.emplace(std::string(netns), std::move(*opened)).first->second;
}

Result<nl::NetlinkSocket> KernelTransport::open_socket(std::string_view netns) const {
    if (netns.empty()) return nl::NetlinkSocket::open();
    auto inside = handle(netns);
    if (!inside) return fail(std::move(inside).error());
    return open_netlink_socket_in(**inside, host_);
}

Result<nl::NetlinkSocket*> KernelTransport::socket(std::string_view netns) {
    if (const auto it = sockets_.find(netns); it != sockets_.end()) return &it->second;
    auto opened = open_socket(netns);
    if (!opened) return fail(std::move(opened).error());
    own_ports_.insert(opened->port_id());
    return &sockets_.emplace(std::string(netns), std::move(*opened)).first->second;
}

void KernelTransport::watch_other_writers(const std::vector<std::string>& netns) {
    std::map<std::string, UniqueFd, std::less<>> kept;
    for (const std::string& name : netns) {
        if (auto it = watched_.find(name); it != watched_.end()) {
            kept.emplace(name, std::move(it->second));
            continue;
        }
        auto inside = handle(name);
        if (!inside) continue;
        auto fd = name.empty() ? nl::subscribe_rtnetlink() : subscribe_rtnetlink_in(**inside, host_);
        if (fd) kept.emplace(name, std::move(*fd));
    }
    watched_ = std::move(kept);
}

std::vector<ForeignNotification> KernelTransport::other_writers_notifications() {
    std::vector<ForeignNotification> foreign;
    for (const auto& watched : watched_) {
        const std::string& netns = watched.first;
        // Best effort, like the subscription: a socket that cannot be read hears nothing.
        (void)nl::drain_notifications(watched.second.get(), receive_buffer_, [&](const nlmsghdr& message) {
            if (message.nlmsg_pid == 0 || own_ports_.contains(message.nlmsg_pid)) return;
            const auto* bytes = reinterpret_cast<const std::byte*>(&message);
            foreign.push_back({netns, std::vector<std::byte>(bytes, bytes + message.nlmsg_len)});
        });
    }
    return foreign;
}

void KernelTransport::forget(std::string_view netns) {
    if (const auto it = sockets_.find(netns); it != sockets_.end()) sockets_.erase(it);
    if (const auto it = handles_.find(netns); it != handles_.end()) handles_.erase(it);
}

Result<void> KernelTransport::run_namespace_step(const plan::Step& step) {
    const auto* spec = plan::object_if<plan::NetnsSpec>(step);
    if (spec == nullptr) return fail_plain(EINVAL, "a namespace step without a namespace");
    const std::string& name = spec->name;
    switch (step.kind()) {
    case plan::StepKind::create_netns: {
        if (auto created = create_named_netns(name, read_options_.netns_run_dir); !created) return created;
        if (between_kernel_and_registry_) between_kernel_and_registry_(name);
        if (auto registered = registry_.add(name); !registered) {
            // Unregistered, it would be a namespace podnetc made and does not know.
            (void)delete_named_netns(name, read_options_.netns_run_dir);
            return registered;
        }
        if (spec->lo_up) {
            if (auto up = bring_loopback_up(name); !up) {
                forget(name);
                (void)registry_.remove(name);
                (void)delete_named_netns(name, read_options_.netns_run_dir);
                return up;
            }
        }
        return {};
    }
    case plan::StepKind::delete_netns:
        // The namespace first, its registry entry second: a crash in between leaves an
        // entry without a namespace, which the undo (create_netns) fills again. The
        // other order would leave an owned namespace unregistered, which the undo cannot
        // re-create (EEXIST) and so would never register again.
        forget(name);
        if (auto deleted = delete_named_netns(name, read_options_.netns_run_dir); !deleted) return deleted;
        if (between_kernel_and_registry_) between_kernel_and_registry_(name);
        return registry_.remove(name);
    case plan::StepKind::register_netns:
        return registry_.add(name);
    case plan::StepKind::unregister_netns:
        return registry_.remove(name);
    default:
        return fail_plain(EINVAL, "not a namespace step");
    }
}

// A pod's namespace gets its loopback up, as container runtimes do (CNI's
// loopback plugin): programs in a pod talk to 127.0.0.1. Part of creating the
// namespace, so that its inverse (deleting the namespace) undoes it too; an
// inverse that re-creates a namespace whose lo was down asks for no lo_up.
Result<void> KernelTransport::bring_loopback_up(std::string_view netns) {
    auto sock = socket(netns);
    if (!sock) return fail(std::move(sock).error());
    alignas(8) std::byte buffer[256];
    nl::RequestBatch batch(buffer);
    ifinfomsg header{};
    header.ifi_family = AF_UNSPEC;
    header.ifi_index = kernel::kLoopbackIfindex;
    header.ifi_flags = IFF_UP;
    header.ifi_change = IFF_UP;
    if (!batch.add(RTM_SETLINK, 0, header).ok()) return fail_plain(ENOBUFS, "bring lo up: request too large");
    auto outcome = (*sock)->send_batch(batch, receive_buffer_);
    if (!outcome) return fail(std::move(outcome).error());
    if (!outcome->all_ok()) {
        const nl::Ack& ack = outcome->acks.at(outcome->first_failure());
        return fail(ack.error, fmt::format("bring lo up in namespace {}", netns));
    }
    return {};
}

Result<nl::BatchOutcome> KernelTransport::send(std::string_view netns, nl::RequestBatch& requests,
                                               std::span<const plan::Step* const> /*steps*/,
                                               const nl::BatchOptions& options) {
    auto sock = socket(netns);
    if (!sock) return fail(std::move(sock).error());
    return (*sock)->send_batch(requests, receive_buffer_, options);
}

Result<live::State> KernelTransport::read_state() { return NetlinkKernelReader().read_state(read_options_); }

}  // namespace podnetc::rt
