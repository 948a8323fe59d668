// The probe's own minimal rtnetlink socket (the real socket layer lives elsewhere in
// runtime/): opened inside a named namespace, sends a whole batch in one sendmsg
// and then reads one ack per request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "compiler/live/live_state.hpp"

struct mnl_socket;

namespace podnetc::probe {

struct Ack {
    std::uint32_t seq = 0;
    int error = 0;            // 0 or a positive errno
    std::string text;         // the ack as runtime/netlink/netlink_text prints it
};

class RouteSocket {
public:
    // netns "" is the probe's own namespace; else /run/netns/NAME.
    explicit RouteSocket(const std::string& netns);
    ~RouteSocket();
    RouteSocket(const RouteSocket&) = delete;
    RouteSocket& operator=(const RouteSocket&) = delete;

    // Sends `requests` (`count` messages) in one sendmsg, then reads `count` acks.
    std::vector<Ack> send_batch(std::span<const std::byte> requests, std::size_t count);

    // The namespace's links (name, ifindex, group, kind; no peers).
    std::vector<live::Link> dump_links();

private:
    std::string netns_;
    mnl_socket* socket_ = nullptr;
    std::uint32_t dump_seq_ = 1'000'000;
};

// An fd of a namespace ("" = the probe's own), to hand to the encoder.
int open_netns_fd(const std::string& netns);

}  // namespace podnetc::probe
