#include "runtime/probe/icmp_match.hpp"

namespace podnetc::rt::icmp {
namespace {

bool fits(const Echo& echo, ip::Address peer, SocketIdentity socket, const InFlight& probe) {
    return probe.socket == socket.index && echo.id == socket.echo_id && echo.sequence == probe.sequence &&
           peer == probe.target;
}

bool tag_fits(const EchoTag& tag, std::uint64_t cookie, const InFlight& probe) {
    return tag.cookie == cookie && tag.attempt < probe.attempts_sent;
}

}  // namespace

std::optional<std::uint32_t> match_reply(const Echo& reply, ip::Address from, SocketIdentity socket, std::uint64_t cookie,
                                         std::span<const InFlight> probes) {
    if (reply.type != kEchoReply || !reply.tag || reply.tag->probe >= probes.size()) return std::nullopt;
    const InFlight& probe = probes[reply.tag->probe];
    if (!fits(reply, from, socket, probe) || !tag_fits(*reply.tag, cookie, probe)) return std::nullopt;
    return reply.tag->probe;
}

std::optional<std::uint32_t> match_error(const Echo& original, ip::Address destination, SocketIdentity socket,
                                         std::uint64_t cookie, std::span<const InFlight> probes,
                                         std::span<const std::uint32_t> by_sequence) {
    if (original.type != kEchoRequest) return std::nullopt;
    std::uint32_t index = 0;
    if (original.tag) {
        index = original.tag->probe;
    } else if (original.sequence < by_sequence.size()) {
        index = by_sequence[original.sequence];
    } else {
        return std::nullopt;
    }
    if (index >= probes.size()) return std::nullopt;
    const InFlight& probe = probes[index];
    if (!fits(original, destination, socket, probe)) return std::nullopt;
    if (original.tag && !tag_fits(*original.tag, cookie, probe)) return std::nullopt;
    if (!original.tag && probe.attempts_sent == 0) return std::nullopt;
    return index;
}

}  // namespace podnetc::rt::icmp
