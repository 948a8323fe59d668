// Connectivity probes for `podnetc apply --verify`: ICMP echo from a namespace to
// an address, natively (no `ping` process), thousands at once.
//
// run_probes() opens one ICMP socket per source (namespace, source address) inside
// that namespace (icmp_socket.hpp: a ping socket where net.ipv4.ping_group_range
// allows it, which in a fresh pod namespace it does not, else a raw socket), sends
// every probe's echo request, then waits on all sockets at once (epoll) until each
// probe is answered or has used up its time. Unanswered probes are sent again
// (`retries`), spread over `timeout`: a first request may wait for ARP, or be
// dropped while the neighbour is unresolved.
//
// It sends only to the targets it is given, from the namespaces it is given; it
// adds no target of its own. Replies are matched to probes by the socket, echo id
// and sequence, the source address, and a tag in the payload (a random cookie per
// run, the probe's index, the attempt), so other pings in the same namespaces and
// late replies of earlier runs are ignored (icmp_match.hpp).
//
// Choosing probes (measured on Linux 6.18):
// - The ARP table is one table for all namespaces of the machine; gc_thresh3
//   (1024 by default) caps all of them together. On a bridge every pair of pods
//   that exchange packets is an entry in the sender's namespace: 110 pods probing
//   all pairs need 11,990 entries, overflow the table and make ARP fail node-wide
//   (about 1,000 of those probes got answers). Keep bridge probes linear in the
//   number of pods (each pod to its gateway and to one or two peers). In route mode
//   each pod resolves only its gateway, so all pairs cost nothing extra: 11,990
//   probes between 110 routed pods took 85-96 ms, every one answered at once.
// - In route mode the gateway 169.254.1.1 belongs to nobody and answers no echo.
// - A failed ARP in the source namespace reports nothing to the socket (the kernel
//   counts an ICMP "host unreachable" but does not deliver it): such a probe ends
//   as "no reply … within …". ICMP errors from routers (the host, in route mode)
//   do arrive and are quoted in the result ("destination network unreachable
//   (reported by 10.10.1.1)"); the kernel rate-limits those per destination.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/net/net_types.hpp"
#include "runtime/probe/icmp_socket.hpp"
#include "runtime/netns/netns.hpp"
#include "runtime/sys/sys_error.hpp"

namespace podnetc::rt {

struct Probe {
    std::string netns;            // source namespace under the run directory; "" = the caller's own
    std::optional<ip::Address> source;   // source address (bind); nullopt = the kernel's choice
    ip::Address target;
    std::string why;              // for the caller's messages: "pod-1 -> gateway 10.10.1.1"
};

struct ProbeOptions {
    // A probe fails when this much time has passed since its first echo request
    // without a reply. The 1 + retries requests are spread evenly over it.
    std::chrono::milliseconds timeout{2000};
    int retries = 3;
    IcmpSocketChoice sockets = IcmpSocketChoice::automatic;
    std::string run_dir = std::string(kNetnsRunDir);
};

struct ProbeResult {
    bool ok = false;
    std::uint8_t ttl = 0;      // of the reply: 64 across a bridge, 63 after one routed hop
    double rtt_ms = 0;         // send to the kernel's receive time stamp, of the attempt answered
    int attempts = 0;          // echo requests sent
    std::optional<IcmpSocketKind> socket;  // the kind of socket used; nullopt if none could be opened
    // Why it failed, one line without the probe's `why`:
    //   "no reply from 10.10.1.99 within 2000 ms (4 echo requests)"
    //   "no reply from 10.20.9.9 within 2000 ms (4 echo requests); last ICMP error:
    //    destination network unreachable (reported by 10.10.1.1)"
    //   "cannot open an ICMP socket in namespace 'pod-9': open /run/netns/pod-9: …"
    //   "send an echo request to 10.20.0.1: Network is unreachable"
    std::string error;
};

// One result per probe, in the order of `probes`. A probe's own trouble (a missing
// namespace, an unreachable network, no reply) is its result's error; the call
// fails only when the prober itself cannot work (bad options, epoll).
Result<std::vector<ProbeResult>> run_probes(const std::vector<Probe>& probes, const ProbeOptions& options = {});

}  // namespace podnetc::rt
