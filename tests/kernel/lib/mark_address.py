#!/usr/bin/env python3
"""mark_address.py DEV A.B.C.D/LEN: give an existing IPv4 address podnetc's marker.

Sends the request podnetc's adoption sends (docs/NETLINK.md): RTM_NEWADDR with
NLM_F_CREATE | NLM_F_REPLACE and IFA_PROTO = 176, which changes the protocol of the
address in place (iproute2 6.1 has no `proto` for addresses). Run it in the
address's namespace (`ip netns exec NETNS python3 mark_address.py …`).
"""
import socket
import struct
import sys

RTM_NEWADDR = 20
NLM_F_REQUEST, NLM_F_ACK, NLM_F_REPLACE, NLM_F_CREATE = 0x1, 0x4, 0x100, 0x400
IFA_ADDRESS, IFA_LOCAL, IFA_PROTO = 1, 2, 11
IFA_F_PERMANENT = 0x80
PODNETC_PROTOCOL = 176


def attr(kind, payload):
    size = 4 + len(payload)
    return struct.pack("HH", size, kind) + payload + b"\0" * ((4 - size % 4) % 4)


def main():
    dev, prefix = sys.argv[1], sys.argv[2]
    address, length = prefix.split("/")
    raw = socket.inet_aton(address)
    body = struct.pack("BBBBI", socket.AF_INET, int(length), IFA_F_PERMANENT, 0, socket.if_nametoindex(dev))
    body += attr(IFA_LOCAL, raw) + attr(IFA_ADDRESS, raw) + attr(IFA_PROTO, struct.pack("B", PODNETC_PROTOCOL))
    flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE
    message = struct.pack("IHHII", 16 + len(body), RTM_NEWADDR, flags, 1, 0) + body
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE) as s:
        s.send(message)
        error = struct.unpack("i", s.recv(4096)[16:20])[0]
    if error:
        sys.exit(f"mark_address.py: RTM_NEWADDR {prefix} dev {dev}: errno {-error}")


if __name__ == "__main__":
    main()
