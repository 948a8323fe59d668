#include "runtime/probe/icmp_probe.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <utility>

#include <fmt/format.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <unistd.h>

#include "compiler/base/text_format.hpp"
#include "runtime/probe/icmp_match.hpp"
#include "runtime/probe/icmp_packet.hpp"
#include "runtime/sys/unique_fd.hpp"

namespace podnetc::rt {
namespace {

using Clock = std::chrono::steady_clock;
using Wall = std::chrono::system_clock;

// Sends per socket before the prober looks for replies again, so that replies
// never pile up beyond a socket's receive buffer however many probes it has.
constexpr std::size_t kSendBurst = 64;
// Replies read from one socket per wake-up, so that one busy socket cannot starve the others.
constexpr int kReceiveBurst = 256;
// Echo sequence numbers are 16 bits: a source with more probes gets more sockets.
constexpr std::size_t kProbesPerSocket = 65536;
constexpr int kMaxRetries = 100;

std::uint64_t random_u64() {
    std::uint64_t value = 0;
    if (getrandom(&value, sizeof value, 0) == static_cast<ssize_t>(sizeof value)) return value;
    // No entropy yet (early boot): the cookie only has to differ between runs.
    const auto now = static_cast<std::uint64_t>(Clock::now().time_since_epoch().count());
    return now ^ (static_cast<std::uint64_t>(getpid()) << 40);
}

// Not an address one unicast echo can probe (and one podnetc must never broadcast to).
bool is_unicast(ip::Address address) {
    const std::uint32_t value = address.v4_value();
    return address.is_v4() && value != 0 && value != 0xffffffffu && (value >> 28) != 0xe;
}

// Send errors after which a later attempt may well go out: the request is lost, not refused.
bool transient_send_error(int code) { return code == ENOBUFS || code == ENOMEM || code == EINTR; }

// The socket of one source: a namespace, a source address, up to kProbesPerSocket probes.
struct SourceKey {
    std::string netns;
    std::optional<ip::Address> source;
    std::size_t chunk = 0;
    friend auto operator<=>(const SourceKey&, const SourceKey&) = default;
};

struct Source {
    SourceKey key;
    std::optional<IcmpSocket> socket;
    std::vector<std::uint32_t> by_sequence;  // the probes of this socket
    std::deque<std::uint32_t> to_send;       // probes due for their next echo request
    bool blocked = false;                    // send buffer full: waiting for EPOLLOUT
};

struct ProbeState {
    std::vector<Wall::time_point> sent_at;  // per attempt
    Clock::time_point deadline;             // before the first request: when it gives up being sent
    std::string last_icmp_error;
    bool done = false;
};

// A moment at which a probe's latest attempt has had its share of the timeout.
struct Check {
    Clock::time_point at;
    std::uint32_t probe = 0;
};

class Prober {
public:
    Prober(const std::vector<Probe>& probes, const ProbeOptions& options)
        : probes_(probes),
          options_(options),
          attempts_(options.retries + 1),
          interval_(std::chrono::duration_cast<Clock::duration>(options.timeout) / attempts_),
          cookie_(random_u64()),
          in_flight_(probes.size()),
          states_(probes.size()),
          results_(probes.size()),
          buffer_(2048) {}

    Result<std::vector<ProbeResult>> run() {
        auto origin = NetnsHandle::current();
        if (!origin) return fail(std::move(origin).error());
        pending_ = probes_.size();
        group_into_sources();
        open_sockets(*origin);
        auto polling = register_sockets();
        if (!polling) return fail(std::move(polling).error());
        const Clock::time_point started = Clock::now();
        for (std::uint32_t p = 0; p < probes_.size(); ++p) states_[p].deadline = started + options_.timeout;
        for (;;) {
            // Each of these can finish the last probe (a timeout, a failed send).
            const Clock::time_point now = Clock::now();
            run_due_checks(now);
            expire_unsent(now);
            auto more_to_send = send_bursts();
            if (!more_to_send) return fail(std::move(more_to_send).error());
            if (pending_ == 0) break;
            std::array<epoll_event, 64> events{};
            const int ready = epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()),
                                         *more_to_send ? 0 : wait_ms());
            if (ready < 0) {
                if (errno == EINTR) continue;
                return fail(errno, "wait for echo replies");
            }
            for (int i = 0; i < ready; ++i) {
                auto handled = on_event(events[static_cast<std::size_t>(i)]);
                if (!handled) return fail(std::move(handled).error());
            }
        }
        return std::move(results_);
    }

private:
    void group_into_sources() {
        std::map<std::pair<std::string, std::optional<ip::Address>>, std::size_t> counts;
        std::map<SourceKey, std::uint32_t> index;
        // Sources in key order, so the same probes open the same sockets in the same order.
        std::vector<SourceKey> keys(probes_.size());
        for (std::uint32_t p = 0; p < probes_.size(); ++p) {
            const Probe& probe = probes_[p];
            std::size_t& count = counts[{probe.netns, probe.source}];
            keys[p] = SourceKey{probe.netns, probe.source, count++ / kProbesPerSocket};
            index.emplace(keys[p], 0);
        }
        for (auto& [key, at] : index) {
            at = static_cast<std::uint32_t>(sources_.size());
            sources_.push_back(Source{key, std::nullopt, {}, {}, false});
        }
        for (std::uint32_t p = 0; p < probes_.size(); ++p) {
            Source& source = sources_[index.at(keys[p])];
            in_flight_[p] = icmp::InFlight{index.at(keys[p]), probes_[p].target,
                                           static_cast<std::uint16_t>(source.by_sequence.size()), 0};
            source.by_sequence.push_back(p);
        }
    }

    Result<IcmpSocket> open_socket(const SourceKey& key, const NetnsHandle& origin, std::uint16_t raw_echo_id,
                                   std::map<std::string, Result<NetnsHandle>>& handles) const {
        if (key.netns.empty()) return IcmpSocket::open(options_.sockets, key.source, raw_echo_id);
        auto handle = handles.find(key.netns);
        if (handle == handles.end()) {
            handle = handles.emplace(key.netns, NetnsHandle::open_named(key.netns, options_.run_dir)).first;
        }
        if (!handle->second) return fail(handle->second.error());
        return open_icmp_socket_in(*handle->second, origin, options_.sockets, key.source, raw_echo_id);
    }

    void open_sockets(const NetnsHandle& origin) {
        std::map<std::string, Result<NetnsHandle>> handles;  // closed again once the sockets exist
        const auto raw_id_base = static_cast<std::uint16_t>(cookie_ >> 48);
        for (std::size_t s = 0; s < sources_.size(); ++s) {
            Source& source = sources_[s];
            auto socket = open_socket(source.key, origin, static_cast<std::uint16_t>(raw_id_base + s), handles);
            if (!socket) {
                const std::string where = source.key.netns.empty()
                                              ? std::string("the current namespace")
                                              : fmt::format("namespace '{}'", source.key.netns);
                for (std::uint32_t p : source.by_sequence) {
                    finish_failed(p, fmt::format("cannot open an ICMP socket in {}: {}", where, socket.error().message));
                }
                continue;
            }
            source.socket.emplace(std::move(*socket));
            for (std::uint32_t p : source.by_sequence) {
                if (is_unicast(probes_[p].target)) {
                    source.to_send.push_back(p);
                    results_[p].socket = source.socket->kind();
                } else {
                    finish_failed(p, fmt::format("{} is not a unicast address", probes_[p].target.str()));
                }
            }
        }
    }

    Result<void> register_sockets() {
        epoll_ = UniqueFd(epoll_create1(EPOLL_CLOEXEC));
        if (!epoll_.valid()) return fail(errno, "create an epoll instance");
        for (std::uint32_t s = 0; s < sources_.size(); ++s) {
            if (!sources_[s].socket) continue;
            if (auto watched = watch(s, EPOLL_CTL_ADD, EPOLLIN); !watched) return watched;
        }
        return {};
    }

    Result<void> watch(std::uint32_t s, int operation, std::uint32_t events) {
        epoll_event event{};
        event.events = events;
        event.data.u32 = s;
        if (epoll_ctl(epoll_.get(), operation, sources_[s].socket->fd(), &event) < 0) {
            return fail(errno, "watch an ICMP socket");
        }
        return {};
    }

    // Every probe whose latest attempt has waited its share either goes again or fails.
    void run_due_checks(Clock::time_point now) {
        while (!checks_.empty() && checks_.front().at <= now) {
            const std::uint32_t p = checks_.front().probe;
            checks_.pop_front();
            if (states_[p].done) continue;
            if (in_flight_[p].attempts_sent < attempts_) {
                sources_[in_flight_[p].socket].to_send.push_back(p);
            } else {
                finish_timed_out(p);
            }
        }
    }

    // Probes that could not even be sent in time (a send buffer full of requests
    // waiting for ARP, for the whole timeout).
    void expire_unsent(Clock::time_point now) {
        for (Source& source : sources_) {
            if (!source.blocked) continue;
            std::erase_if(source.to_send, [&](std::uint32_t p) {
                if (in_flight_[p].attempts_sent > 0 || states_[p].deadline > now) return false;
                finish_failed(p, fmt::format("could not send to {} within {} ms: the socket's send buffer stayed full",
                                             probes_[p].target.str(), options_.timeout.count()));
                return true;
            });
        }
    }

    // Up to kSendBurst requests per socket. True if some socket has more to send now.
    Result<bool> send_bursts() {
        bool more = false;
        for (std::uint32_t s = 0; s < sources_.size(); ++s) {
            Source& source = sources_[s];
            for (std::size_t sent = 0; !source.blocked && !source.to_send.empty() && sent < kSendBurst; ++sent) {
                const std::uint32_t p = source.to_send.front();
                if (states_[p].done) {
                    source.to_send.pop_front();
                    continue;
                }
                if (!send_one(source, p)) {
                    source.blocked = true;
                    if (auto watched = watch(s, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT); !watched) {
                        return fail(std::move(watched).error());
                    }
                    break;
                }
                source.to_send.pop_front();
            }
            more = more || (!source.blocked && !source.to_send.empty());
        }
        return more;
    }

    // False when the socket's send buffer is full (the probe stays queued).
    bool send_one(const Source& source, std::uint32_t p) {
        icmp::InFlight& flight = in_flight_[p];
        const icmp::EchoTag tag{cookie_, p, flight.attempts_sent};
        const auto message = icmp::build_echo_request(source.socket->echo_id(), flight.sequence, tag);
        const Wall::time_point wall = Wall::now();
        const Clock::time_point now = Clock::now();
        auto sent = source.socket->send(flight.target, message);
        if (sent && !*sent) return false;
        if (!sent && !transient_send_error(sent.error().code)) {
            finish_failed(p, std::move(sent).error().message);
            return true;
        }
        // Sent, or lost on the way out: either way the attempt counts and has its time.
        ++flight.attempts_sent;
        states_[p].sent_at.push_back(wall);
        if (flight.attempts_sent == 1) states_[p].deadline = now + options_.timeout;
        checks_.push_back(Check{now + interval_, p});
        return true;
    }

    int wait_ms() const {
        auto until = Clock::time_point::max();
        if (!checks_.empty()) until = checks_.front().at;
        const bool blocked = std::any_of(sources_.begin(), sources_.end(), [](const Source& s) { return s.blocked; });
        // A blocked socket's unsent probes have deadlines of their own: look again soon.
        if (blocked) until = std::min(until, Clock::now() + std::chrono::milliseconds(50));
        if (until == Clock::time_point::max()) return -1;
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
        return static_cast<int>(std::clamp<std::int64_t>(left, 0, 60'000));
    }

    Result<void> on_event(const epoll_event& event) {
        const std::uint32_t s = event.data.u32;
        Source& source = sources_[s];
        if ((event.events & EPOLLERR) != 0) drain_errors(s);
        if ((event.events & EPOLLIN) != 0) drain_replies(s);
        if ((event.events & EPOLLOUT) != 0 && source.blocked) {
            source.blocked = false;
            return watch(s, EPOLL_CTL_MOD, EPOLLIN);
        }
        return {};
    }

    void drain_replies(std::uint32_t s) {
        const Source& source = sources_[s];
        const icmp::SocketIdentity identity{s, source.socket->echo_id()};
        for (int i = 0; i < kReceiveBurst; ++i) {
            auto received = source.socket->receive(buffer_);
            // An error here is the socket's pending error, consumed by this read: go on next time.
            if (!received || !*received) return;
            const IcmpReceived& reply = **received;
            const auto echo = icmp::parse_echo(reply.message, true);
            if (!echo) continue;
            const auto p = icmp::match_reply(*echo, reply.from, identity, cookie_, in_flight_);
            if (!p || states_[*p].done) continue;
            const Wall::time_point sent = states_[*p].sent_at[echo->tag->attempt];
            const std::chrono::duration<double, std::milli> rtt = reply.received_at.value_or(Wall::now()) - sent;
            ProbeResult& result = results_[*p];
            result.ok = true;
            result.ttl = reply.ttl.value_or(0);
            result.rtt_ms = std::max(0.0, rtt.count());
            finish(*p);
        }
    }

    void drain_errors(std::uint32_t s) {
        const Source& source = sources_[s];
        const icmp::SocketIdentity identity{s, source.socket->echo_id()};
        for (int i = 0; i < kReceiveBurst; ++i) {
            auto entry = source.socket->receive_error(buffer_);
            if (!entry || !*entry) break;
            const IcmpReceivedError& error = **entry;
            const auto original = icmp::parse_echo(error.original, false);
            if (!original) continue;
            const auto p = icmp::match_error(*original, error.destination, identity, cookie_, in_flight_,
                                             source.by_sequence);
            if (!p || states_[*p].done) continue;
            std::string text = error.from_icmp ? icmp::describe_icmp_error(error.type, error.code)
                                               : SysError::from_errno(error.error, "local error").message;
            if (error.from_icmp && error.reporter) text += fmt::format(" (reported by {})", error.reporter->str());
            states_[*p].last_icmp_error = std::move(text);
        }
        source.socket->clear_pending_error();
    }

    void finish(std::uint32_t p) {
        ProbeState& state = states_[p];
        if (state.done) return;
        state.done = true;
        results_[p].attempts = in_flight_[p].attempts_sent;
        --pending_;
    }

    void finish_failed(std::uint32_t p, std::string error) {
        results_[p].error = std::move(error);
        finish(p);
    }

    void finish_timed_out(std::uint32_t p) {
        std::string error = fmt::format("no reply from {} within {} ms ({})", probes_[p].target.str(),
                                        options_.timeout.count(), plural(in_flight_[p].attempts_sent, "echo request"));
        if (!states_[p].last_icmp_error.empty()) error += "; last ICMP error: " + states_[p].last_icmp_error;
        finish_failed(p, std::move(error));
    }

    const std::vector<Probe>& probes_;
    const ProbeOptions& options_;
    const int attempts_;
    const Clock::duration interval_;
    const std::uint64_t cookie_;
    std::vector<Source> sources_;
    std::vector<icmp::InFlight> in_flight_;
    std::vector<ProbeState> states_;
    std::vector<ProbeResult> results_;
    std::deque<Check> checks_;  // in time order: every check is `interval_` after a send
    std::size_t pending_ = 0;
    UniqueFd epoll_;
    std::vector<std::byte> buffer_;
};

}  // namespace

Result<std::vector<ProbeResult>> run_probes(const std::vector<Probe>& probes, const ProbeOptions& options) {
    if (options.timeout < std::chrono::milliseconds(1)) {
        return fail_plain(EINVAL, fmt::format("probe timeout {} ms: must be at least 1 ms", options.timeout.count()));
    }
    if (options.retries < 0 || options.retries > kMaxRetries) {
        return fail_plain(EINVAL, fmt::format("probe retries {}: must be between 0 and {}", options.retries, kMaxRetries));
    }
    if (probes.empty()) return std::vector<ProbeResult>{};
    return Prober(probes, options).run();
}

}  // namespace podnetc::rt
