// The applier's transport to the real kernel: one netlink socket per namespace,
// opened inside it on first use (after the namespace exists) and closed before the
// namespace is deleted (an open socket or descriptor keeps a namespace, and the
// veths in it, alive); namespace descriptors for IFLA_NET_NS_FD opened on first
// use; namespaces created and deleted like `ip netns add/del`, without spawning
// anything; the registry of owned namespaces kept alongside.
#pragma once

#include <functional>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "runtime/apply/apply_transport.hpp"
#include "runtime/read/kernel_reader.hpp"
#include "runtime/netns/netns.hpp"
#include "runtime/netns/netns_registry.hpp"

namespace podnetc::rt {

class KernelTransport final : public ApplyTransport {
public:
    // The host namespace is the calling thread's. `read_options` says where
    // namespaces and the registry live (and is what read_state() reads with).
    static Result<std::unique_ptr<KernelTransport>> open(const ReadOptions& read_options);

    Result<void> run_namespace_step(const plan::Step& step) override;
    Result<nl::BatchOutcome> send(std::string_view netns, nl::RequestBatch& requests,
                                  std::span<const plan::Step* const> steps,
                                  const nl::BatchOptions& options) override;
    const NetnsFds& netns_fds() override { return fds_; }
    Result<live::State> read_state() override;
    void watch_other_writers(const std::vector<std::string>& netns) override;
    std::vector<ForeignNotification> other_writers_notifications() override;

    // Called inside create_netns and delete_netns between the kernel's part and the
    // registry's, with the namespace's name: the seam of PODNETC_TEST_KILL_AT=registry:NAME.
    void set_between_kernel_and_registry(std::function<void(std::string_view netns)> hook) {
        between_kernel_and_registry_ = std::move(hook);
    }

private:
    // Descriptors of named namespaces, opened when the encoder first asks.
    class Descriptors final : public NetnsFds {
    public:
        explicit Descriptors(const KernelTransport& owner) : owner_(owner) {}
        std::optional<int> fd_of(std::string_view netns) const override;
        std::optional<std::string> netns_of(int fd) const override;

    private:
        const KernelTransport& owner_;
    };

    KernelTransport(ReadOptions read_options, NetnsHandle host);
    // The handle of a namespace ("" is the host), opened on first use.
    Result<const NetnsHandle*> handle(std::string_view netns) const;
    Result<nl::NetlinkSocket> open_socket(std::string_view netns) const;
    Result<nl::NetlinkSocket*> socket(std::string_view netns);
    // Drops this transport's socket and descriptor of a namespace.
    void forget(std::string_view netns);
    Result<void> bring_loopback_up(std::string_view netns);

    ReadOptions read_options_;
    NetnsRegistry registry_;
    NetnsHandle host_;
    Descriptors fds_{*this};
    mutable std::map<std::string, NetnsHandle, std::less<>> handles_;
    std::map<std::string, nl::NetlinkSocket, std::less<>> sockets_;
    std::set<std::uint32_t> own_ports_;  // of every socket this transport opened
    std::map<std::string, UniqueFd, std::less<>> watched_;  // subscribed sockets, per namespace
    std::vector<std::byte> receive_buffer_;
    std::function<void(std::string_view)> between_kernel_and_registry_;
};

}  // namespace podnetc::rt
