// podnetc_kernel_probe: proves against the real kernel that the encoder's requests
// are exactly what it accepts. Run only inside tools/sandbox (it changes kernel
// state); tests/kernel/netlink-encode.test.sh drives it and checks the results
// with iproute2 and ping.
//
//   route-up       sends the steps of examples/route.pnet (pods pod-1, pod-2, which
//                  must exist), one batch per namespace, one sendmsg each
//   route-down     sends their inverses in reverse
//   pinning        ifindex pinning facts: peers in other namespaces, collisions, restore
//   batch-error    a failing request in the middle of a batch
//   kinds-up       every other step kind (bridge, master, replace, onlink, table…)
//   kinds-down     removes them with one group delete
//   bench [PODS]   encoding cost per step (no kernel needed)
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <exception>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <time.h>
#include <unistd.h>

#include <fmt/format.h>

#include "compiler/objects/ownership.hpp"
#include "runtime/netlink/netlink_encode.hpp"
#include "runtime/netlink/netlink_text.hpp"
#include "tests/kernel_probe/batches.hpp"
#include "tests/kernel_probe/probe_socket.hpp"
#include "tests/unit/plan/plan_samples.hpp"

namespace podnetc::probe {
namespace {

using plan::StepKind;

void check(bool condition, std::string_view what) {
    if (!condition) throw std::runtime_error(fmt::format("check failed: {}", what));
}

std::string shown(const std::string& netns) { return netns.empty() ? "host" : netns; }

// Namespaces and their descriptors, opened once.
struct Namespaces {
    explicit Namespaces(std::vector<std::string> names) : names_(std::move(names)) {
        for (const std::string& name : names_) {
            const int fd = open_netns_fd(name);
            fds.add(name, fd);
            owned_.push_back(fd);
        }
    }
    ~Namespaces() {
        for (const int fd : owned_) ::close(fd);
    }
    Namespaces(const Namespaces&) = delete;
    Namespaces& operator=(const Namespaces&) = delete;

    live::State read() const {
        live::State state;
        for (const std::string& name : names_) {
            RouteSocket socket(name);
            for (live::Link& link : socket.dump_links()) state.links.push_back(std::move(link));
        }
        return state;
    }

    rt::NetnsFdMap fds;

private:
    std::vector<std::string> names_;
    std::vector<int> owned_;
};

// Sends each batch with one sendmsg; every ack must be 0 (or, with `allow_errors`,
// the acks are returned as they are).
std::vector<Ack> send(const std::vector<Batch>& batches, bool allow_errors = false) {
    std::vector<Ack> all;
    for (const Batch& batch : batches) {
        fmt::print("== batch {}: {} requests, {} bytes, one sendmsg\n", shown(batch.netns), batch.count(),
                   batch.bytes.size());
        for (const std::string& line : batch.lines) fmt::print("  > {}\n", line);
        RouteSocket socket(batch.netns);
        const std::vector<Ack> acks = socket.send_batch(batch.bytes, batch.count());
        check(acks.size() == batch.count(), "one ack per request");
        for (std::size_t i = 0; i < acks.size(); ++i) {
            fmt::print("  < {}\n", acks[i].text);
            check(acks[i].seq == batch.seqs[i], "acks come in request order");
            if (!allow_errors && acks[i].error != 0) {
                throw std::runtime_error(fmt::format("request {} failed: {}", batch.lines[i], acks[i].text));
            }
        }
        all.insert(all.end(), acks.begin(), acks.end());
    }
    return all;
}

// Every link the map knows in these namespaces has the index the kernel gave it.
void check_pins(const rt::IndexMap& indexes, const live::State& kernel) {
    for (const live::Link& link : kernel.links) {
        const auto pinned = indexes.find(link.netns, link.name);
        check(pinned.has_value(), fmt::format("the map knows {} in {}", link.name, shown(link.netns)));
        check(*pinned == link.ifindex, fmt::format("{} in {}: kernel ifindex {}, pinned {}", link.name,
                                                   shown(link.netns), link.ifindex, *pinned));
    }
    fmt::print("pins: all {} links have the ifindex the encoder chose\n", kernel.links.size());
}

const std::vector<std::string> kRouteNamespaces{"", "pod-1", "pod-2"};

int route_up() {
    Namespaces ns(kRouteNamespaces);
    rt::IndexMap indexes(ns.read());
    std::vector<plan::Step> steps;
    for (const plan::Op& op : samples::route_plan().ops) steps.push_back(op.step);
    std::uint32_t seq = 1;
    send(encode_batches(steps, HostOrder::first, indexes, ns.fds, seq));
    check_pins(indexes, ns.read());
    return 0;
}

int route_down() {
    Namespaces ns(kRouteNamespaces);
    rt::IndexMap indexes(ns.read());
    const plan::Plan plan = samples::route_plan();
    std::vector<plan::Step> steps;
    for (auto op = plan.ops.rbegin(); op != plan.ops.rend(); ++op) {
        if (!rt::is_netlink(op->step.kind())) continue;  // the script deletes the namespaces
        for (const plan::Step& inverse : op->inverse) steps.push_back(inverse);
    }
    std::uint32_t seq = 1;
    send(encode_batches(steps, HostOrder::last, indexes, ns.fds, seq));
    const live::State after = ns.read();
    for (const live::Link& link : after.links) {
        check(link.name == "lo", fmt::format("only lo is left in {}, found {}", shown(link.netns), link.name));
    }
    fmt::print("inverses: only lo is left in every namespace\n");
    return 0;
}

plan::Step veth(const std::string& name, const std::string& peer_netns, const std::string& peer_name) {
    plan::LinkCreate c;
    c.kind = kernel::kVeth;
    c.end = plan::LinkEnd{"", name, std::nullopt, 0, 7};
    c.peer = plan::LinkEnd{peer_netns, peer_name, std::nullopt, 0, 7};
    return plan::CreateLink{c};
}

plan::Step delete_host_link(const std::string& name) {
    return plan::DeleteLink{plan::LinkDelete{"", name, std::nullopt}};
}

std::optional<std::int32_t> kernel_index(const live::State& state, const std::string& netns, const std::string& name) {
    for (const live::Link& link : state.links) {
        if (link.netns == netns && link.name == name) return link.ifindex;
    }
    return std::nullopt;
}

// One request, sent alone; returns its ack.
Ack send_one(const plan::Step& step, rt::IndexMap& indexes, const rt::NetnsFds& fds, std::uint32_t& seq,
             void (*patch)(std::span<std::byte>) = nullptr) {
    std::vector<Batch> batches = encode_batches({step}, HostOrder::first, indexes, fds, seq);
    check(batches.size() == 1 && batches[0].count() == 1, "one request");
    if (patch != nullptr) {
        patch(batches[0].bytes);
        batches[0].lines[0] = rt::message_text(batches[0].bytes, rt::TextContext{step.netns(), &indexes, &fds, true});
    }
    return send(batches, /*allow_errors=*/true).at(0);
}

live::State only(const live::State& state, const std::string& netns) {
    live::State part;
    for (const live::Link& link : state.links) {
        if (link.netns == netns) part.links.push_back(link);
    }
    return part;
}

live::State merged(live::State a, const live::State& b) {
    a.links.insert(a.links.end(), b.links.begin(), b.links.end());
    return a;
}

int pinning() {
    Namespaces ns({"", "pod-1"});
    std::uint32_t seq = 1;
    const live::State before = ns.read();

    fmt::print("-- a veth whose peer goes to pod-1, both ends pinned\n");
    rt::IndexMap indexes(before);
    check(send_one(veth("pa0", "pod-1", "pb0"), indexes, ns.fds, seq).error == 0, "pinned pair is created");
    const live::State with_pair = ns.read();
    const auto pa0 = kernel_index(with_pair, "", "pa0");
    const auto pb0 = kernel_index(with_pair, "pod-1", "pb0");
    check(pa0 == indexes.find("", "pa0"), "the primary end has its pinned ifindex");
    check(pb0 == indexes.find("pod-1", "pb0"), "the peer in pod-1 has its pinned ifindex");
    fmt::print("finding: pinned ifindexes honoured: host pa0={} pod-1 pb0={} (one index, two namespaces)\n", *pa0,
               *pb0);

    fmt::print("-- primary ifindex taken\n");
    rt::IndexMap stale(before);  // does not know pa0: chooses its index again
    const Ack busy = send_one(veth("pc0", "pod-1", "pc1"), stale, ns.fds, seq);
    // RTM_NEWLINK with ifi_index > 0 first looks that index up: it addresses the
    // existing link, and NLM_F_EXCL turns that into EEXIST (without EXCL the request
    // would modify, even rename, the link that has the index).
    check(busy.error == EEXIST, "a taken primary ifindex fails with EEXIST");
    check(!kernel_index(ns.read(), "pod-1", "pc1"), "and nothing is created");
    fmt::print("finding: taken primary ifindex -> {}\n", busy.text);

    fmt::print("-- peer ifindex taken in its namespace\n");
    rt::IndexMap stale_peer(merged(only(with_pair, ""), only(before, "pod-1")));
    const Ack peer_busy = send_one(veth("pd0", "pod-1", "pd1"), stale_peer, ns.fds, seq);
    // The peer is registered first, in its own namespace: there the index is
    // reserved, and a taken one is EBUSY.
    check(peer_busy.error == EBUSY, "a taken peer ifindex fails with EBUSY");
    const live::State after_peer_busy = ns.read();
    check(!kernel_index(after_peer_busy, "", "pd0") && !kernel_index(after_peer_busy, "pod-1", "pd1"),
          "and neither end is created");
    fmt::print("finding: taken peer ifindex -> {}\n", peer_busy.text);

    fmt::print("-- peer pinned, primary left to the kernel (ifi_index 0)\n");
    rt::IndexMap current(ns.read());
    const auto unpin_primary = [](std::span<std::byte> bytes) {
        ifinfomsg header;
        std::memcpy(&header, bytes.data() + NLMSG_HDRLEN, sizeof header);
        header.ifi_index = 0;
        std::memcpy(bytes.data() + NLMSG_HDRLEN, &header, sizeof header);
    };
    check(send_one(veth("pe0", "pod-1", "pe1"), current, ns.fds, seq, unpin_primary).error == 0, "created");
    const auto pe1 = kernel_index(ns.read(), "pod-1", "pe1");
    fmt::print("finding: peer pin without a primary pin: asked {}, got {} ({})\n", *current.find("pod-1", "pe1"), *pe1,
               pe1 == current.find("pod-1", "pe1") ? "honoured" : "ignored");

    fmt::print("-- rollback recreates a deleted link with its old ifindex\n");
    live::State live = ns.read();
    for (live::Link& link : live.links) {  // the probe's dump does not resolve peers
        if (link.netns.empty() && link.name == "pa0") {
            link.peer_netns = "pod-1";
            link.peer_name = "pb0";
        }
    }
    rt::IndexMap rollback(live);
    const std::int32_t old_index = *rollback.find("", "pa0");
    check(send_one(delete_host_link("pa0"), rollback, ns.fds, seq).error == 0, "pa0 deleted");
    check(rollback.choose("", "zz0") > old_index, "pa0's index is not the next free one");
    check(send_one(veth("pa0", "pod-1", "pb0"), rollback, ns.fds, seq).error == 0, "pa0 recreated");
    const live::State restored = ns.read();
    check(kernel_index(restored, "", "pa0") == old_index, "pa0 is back at its old ifindex");
    check(kernel_index(restored, "pod-1", "pb0") == *pb0, "pb0 is back at its old ifindex");
    fmt::print("finding: recreated pa0={} pb0={}, as before the delete\n", old_index, *pb0);

    rt::IndexMap cleanup(ns.read());
    for (const live::Link& link : ns.read().links) {
        if (link.netns.empty() && link.kind == "veth") send_one(delete_host_link(link.name), cleanup, ns.fds, seq);
    }
    return 0;
}

int batch_error() {
    Namespaces ns({""});
    rt::IndexMap indexes(ns.read());
    std::uint32_t seq = 100;
    plan::LinkCreate link;
    link.kind = kernel::kVeth;
    link.end = plan::LinkEnd{"", "be0", std::nullopt, 0, 0};
    link.peer = plan::LinkEnd{"", "be1", std::nullopt, 0, 0};
    link.up = true;
    const auto route = [](const char* dst, std::optional<const char*> via) {
        kernel::Route r;
        r.dst = ip::Prefix::parse(dst).value();
        if (via) r.gateway = ip::Address::parse_v4(*via).value();
        r.dev = "be0";
        r.scope = via ? 0 : 253;
        r.protocol = 176;
        return plan::AddRoute{r};
    };
    const std::vector<plan::Step> steps{
        plan::CreateLink{link},
        plan::AddAddress{kernel::Address{.netns = "", .dev = "be0", .local = ip::Prefix::parse("10.99.0.1/24").value(), .peer = std::nullopt, .scope = 0, .protocol = 176}},
        route("10.98.0.0/24", "192.0.2.1"),  // gateway not reachable: fails
        route("10.97.0.0/24", std::nullopt),
        route("10.96.0.0/24", "10.99.0.2"),
    };
    const std::vector<Ack> acks = send(encode_batches(steps, HostOrder::first, indexes, ns.fds, seq), true);
    check(acks.size() == steps.size(), "one ack per request");
    for (std::size_t i = 0; i < acks.size(); ++i) {
        if (i == 2) {
            check(acks[i].error == ENETUNREACH, "the bad route fails with ENETUNREACH");
            check(acks[i].text.find("msg=\"Nexthop has invalid gateway\"") != std::string::npos, "with ext-ack text");
        } else {
            check(acks[i].error == 0, fmt::format("request {} succeeds despite the failure before it", i));
        }
    }
    fmt::print("batch: request 3 of 5 failed with its ext-ack text, the other 4 succeeded\n");
    rt::IndexMap cleanup(ns.read());
    send_one(delete_host_link("be0"), cleanup, ns.fds, seq);
    return 0;
}

Mac mac_of(const char* text) { return Mac::parse(text).value(); }

// Every step kind the route example does not use, in one host batch: a bridge, a
// veth pair in one namespace enslaved at creation, setlink of mtu/mac/master/
// nomaster/down, address and neighbour replace, routes with onlink, prefsrc,
// metric and a table above 255.
int kinds_up() {
    Namespaces ns({""});
    rt::IndexMap indexes(ns.read());
    std::uint32_t seq = 1;
    std::vector<plan::Step> steps;

    plan::LinkCreate bridge;
    bridge.kind = kernel::kBridge;
    bridge.end = plan::LinkEnd{"", "br0", mac_of("02:00:00:00:00:01"), 0, kOwnedLinkGroup};
    bridge.up = true;
    steps.push_back(plan::CreateLink{bridge});

    plan::LinkCreate pair;
    pair.kind = kernel::kVeth;
    pair.end = plan::LinkEnd{"", "bp0", mac_of("02:00:00:00:00:02"), 1400, kOwnedLinkGroup};
    pair.peer = plan::LinkEnd{"", "bp1", std::nullopt, 1400, kOwnedLinkGroup};
    pair.master = "br0";
    pair.up = true;
    steps.push_back(plan::CreateLink{pair});

    plan::LinkChange enslave;
    enslave.netns = "";
    enslave.name = "bp1";
    enslave.up = true;
    enslave.mtu = 1300;
    enslave.mac = mac_of("02:00:00:00:00:03");
    enslave.master = "br0";
    steps.push_back(plan::ChangeLink{enslave});

    kernel::Address address{.netns = "", .dev = "br0", .local = ip::Prefix::parse("10.50.0.1/24").value(), .peer = std::nullopt, .scope = 0, .protocol = kOwnedProtocol};
    steps.push_back(plan::ReplaceAddress{address});  // creates it
    address.protocol = 177;
    steps.push_back(plan::ReplaceAddress{address});  // changes IFA_PROTO in place

    kernel::Route table_route;
    table_route.table = 1000;
    table_route.dst = ip::Prefix::parse("10.51.0.0/24").value();
    table_route.gateway = ip::Address::parse_v4("10.50.0.2").value();
    table_route.dev = "br0";
    table_route.protocol = kOwnedProtocol;
    table_route.prefsrc = ip::Address::parse_v4("10.50.0.1").value();
    table_route.metric = 100;
    steps.push_back(plan::AddRoute{table_route});
    table_route.gateway = ip::Address::parse_v4("10.50.0.3").value();
    steps.push_back(plan::ReplaceRoute{table_route});

    kernel::Route onlink;
    onlink.dst = ip::Prefix::parse("10.52.0.0/24").value();
    onlink.gateway = ip::Address::parse_v4("192.0.2.9").value();
    onlink.dev = "br0";
    onlink.flags |= kernel::kOnlink;
    onlink.protocol = kOwnedProtocol;
    steps.push_back(plan::AddRoute{onlink});

    kernel::Neighbor neighbor{.netns = "", .dev = "br0", .dst = ip::Address::parse_v4("10.50.0.9").value(), .lladdr = mac_of("02:00:00:00:00:09"), .state = 0x80, .protocol = kOwnedProtocol};
    steps.push_back(plan::AddNeighbor{neighbor});
    neighbor.lladdr = mac_of("02:00:00:00:00:0a");
    steps.push_back(plan::ReplaceNeighbor{neighbor});
    // Without NDA_PROTOCOL the kernel keeps the entry's protocol (the script checks
    // it is still 176): restoring protocol 0 takes a delete and an add.
    neighbor.protocol = 0;
    steps.push_back(plan::ReplaceNeighbor{neighbor});

    plan::LinkChange release;
    release.netns = "";
    release.name = "bp1";
    release.up = false;
    release.master = "";
    steps.push_back(plan::ChangeLink{release});

    send(encode_batches(steps, HostOrder::first, indexes, ns.fds, seq));
    check_pins(indexes, ns.read());
    return 0;
}

// Everything kinds-up made, with one group delete.
int kinds_down() {
    Namespaces ns({""});
    rt::IndexMap indexes(ns.read());
    std::uint32_t seq = 1;
    send(encode_batches({plan::DeleteLink{plan::LinkDelete{"", "", kOwnedLinkGroup}}},
                        HostOrder::first, indexes, ns.fds, seq));
    return 0;
}

// CPU time of this thread: the machine is shared, wall time would measure the others.
std::chrono::nanoseconds cpu_now() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return std::chrono::seconds{t.tv_sec} + std::chrono::nanoseconds{t.tv_nsec};
}

int bench(int pods) {
    std::vector<samples::RoutedPod> spec;
    std::vector<std::string> names{""};
    for (int i = 1; i <= pods; ++i) {
        const std::string address = fmt::format("10.{}.{}.{}/32", 200 + i / 65536, (i / 256) % 256, i % 256);
        spec.push_back({fmt::format("pod-{}", i), address,
                        fmt::format("veth{}", i)});
        names.push_back(spec.back().name);
    }
    std::vector<plan::Step> steps;
    for (const plan::Op& op : samples::route_plan(spec).ops) steps.push_back(op.step);
    const rt::NetnsFdMap fds = rt::stand_in_netns_fds(names);
    alignas(8) std::array<std::byte, 1 << 16> buffer{};

    constexpr int kRounds = 20;
    std::size_t messages = 0;
    std::size_t bytes = 0;
    std::size_t text_bytes = 0;
    std::chrono::nanoseconds encode_time{0};
    std::chrono::nanoseconds text_time{0};
    for (int round = 0; round < kRounds; ++round) {
        rt::IndexMap indexes{live::State{}};
        rt::nl::RequestBatch batch(buffer);
        const auto start = cpu_now();
        for (const plan::Step& step : steps) {
            auto result = rt::encode(step, indexes, fds, batch);
            if (result.status == rt::EncodeStatus::no_room) {  // "send" and start a new batch
                batch.clear();
                result = rt::encode(step, indexes, fds, batch);
            }
            if (result.status == rt::EncodeStatus::not_netlink) continue;
            if (!result.ok()) throw std::runtime_error(result.error);
            bytes += result.length;
            ++messages;
        }
        encode_time += cpu_now() - start;

        // Text of the same messages (one buffer's worth, re-encoded).
        rt::IndexMap again{live::State{}};
        const auto text_start = cpu_now();
        for (const plan::Step& step : steps) {
            batch.clear();
            const auto result = rt::encode(step, again, fds, batch);
            if (!result.ok()) continue;
            text_bytes += rt::message_text(batch.bytes(0, 1), rt::TextContext{step.netns(), &again, &fds, false}).size();
        }
        text_time += cpu_now() - text_start;
    }
    const double per_step = static_cast<double>(encode_time.count()) / static_cast<double>(messages);
    fmt::print("bench: {} pods, {} netlink steps, {} bytes per plan\n", pods, messages / kRounds, bytes / kRounds);
    fmt::print("bench: encode {:.0f} ns per step, {:.2f} ms per plan (thread CPU time)\n", per_step,
               static_cast<double>(encode_time.count()) / kRounds / 1e6);
    fmt::print("bench: encode+text {:.0f} ns per step ({} text bytes per plan)\n",
               static_cast<double>(text_time.count()) / static_cast<double>(messages), text_bytes / kRounds);
    return 0;
}

int run(const std::vector<std::string>& args) {
    const std::string command = args.empty() ? std::string{} : args[0];
    if (command == "route-up") return route_up();
    if (command == "route-down") return route_down();
    if (command == "pinning") return pinning();
    if (command == "batch-error") return batch_error();
    if (command == "kinds-up") return kinds_up();
    if (command == "kinds-down") return kinds_down();
    if (command == "bench") return bench(args.size() > 1 ? std::stoi(args[1]) : 500);
    fmt::print(stderr, "usage: podnetc_kernel_probe route-up|route-down|pinning|batch-error|kinds-up|kinds-down|"
                       "bench [PODS]\n");
    return 64;
}

}  // namespace
}  // namespace podnetc::probe

int main(int argc, char** argv) {
    try {
        return podnetc::probe::run(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::exception& e) {
        fmt::print(stderr, "podnetc_kernel_probe: {}\n", e.what());
        return 1;
    }
}
