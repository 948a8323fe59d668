#!/usr/bin/python3
"""The pyroute2 row of tools/bench: one Python process builds (or removes) the N-pod
topology with pyroute2's ordinary API, as well as we know how.

    pyroute2_pods.py setup    route|bridge N FIRST_ADDR PREFIXLEN GATEWAY GROUP
    pyroute2_pods.py teardown route|bridge N GROUP

- Namespaces in-process: unshare(CLONE_NEWNET) (ctypes; Python 3.11 has no
  os.unshare), pyroute2's netns.attach() bind-mounts the new namespace to
  /run/netns/pod-N, the pod's IPRoute socket is opened right there, netns.setns()
  returns to the root namespace. (netns.create() would fork a process per namespace.)
- One RTM_NEWLINK per veth: host end up with MAC/master and the link group, the peer
  named eth0 (ifindex 2) placed in the pod by namespace fd.
- In every pod: lo up, then eth0's addresses and routes.
- Every request is one IPRoute call (request + ack): pyroute2's normal way.
- proxy_arp, forwarding and proxy_delay are writes to /proc/sys (pyroute2 has no
  devconf setter).
- Teardown: one `link del` of the link group, then netns.remove() per pod.
Prints `work_seconds=…` (the time after `import pyroute2`) for the report.
"""
import ctypes
import ipaddress
import os
import sys
import time

from pyroute2 import IPRoute, netns

imported = time.perf_counter()
CLONE_NEWNET = 0x40000000
LO_IFINDEX = 1
POD_IFINDEX = 2
BRIDGE = "cbr0"
HOST_MAC = "ee:ee:ee:ee:ee:ee"
NUD_PERMANENT = 0x80
RT_SCOPE_LINK = 253


def write(path, value):
    with open(path, "w") as f:
        f.write(value)


def create_pods(n):
    """Returns [(namespace fd, IPRoute inside the pod)] for pod-1..pod-N."""
    libc = ctypes.CDLL(None, use_errno=True)
    root = os.open("/proc/self/ns/net", os.O_RDONLY)
    pods = []
    for i in range(1, n + 1):
        if libc.unshare(CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "unshare")
        netns.attach(f"pod-{i}", os.getpid())
        pods.append((os.open("/proc/self/ns/net", os.O_RDONLY), IPRoute()))
        netns.setns(root)
    os.close(root)
    return pods


def setup(mode, n, first, prefixlen, gateway, group):
    pods = create_pods(n)
    address = [None] + [str(first + k) for k in range(n)]
    with IPRoute() as ipr:
        extra = {}
        if mode == "bridge":
            ipr.link("add", ifname=BRIDGE, kind="bridge", group=group, state="up")
            bridge = ipr.link_lookup(ifname=BRIDGE)[0]
            ipr.addr("add", index=bridge, address=str(gateway), prefixlen=prefixlen)
            extra["master"] = bridge
        else:
            extra["address"] = HOST_MAC
        for i, (nsfd, _) in enumerate(pods, start=1):
            ipr.link("add", ifname=f"veth{i}", kind="veth", group=group, state="up",
                     peer={"ifname": "eth0", "index": POD_IFINDEX, "net_ns_fd": nsfd},
                     **extra)
        if mode == "route":
            for i in range(1, n + 1):
                veth = f"veth{i}"
                index = ipr.link_lookup(ifname=veth)[0]
                write(f"/proc/sys/net/ipv4/conf/{veth}/proxy_arp", "1")
                write(f"/proc/sys/net/ipv4/conf/{veth}/forwarding", "1")
                write(f"/proc/sys/net/ipv4/neigh/{veth}/proxy_delay", "0")
                ipr.route("add", dst=f"{address[i]}/32", oif=index, scope=RT_SCOPE_LINK)
    for i, (nsfd, pod) in enumerate(pods, start=1):
        with pod:
            pod.link("set", index=LO_IFINDEX, state="up")
            pod.addr("add", index=POD_IFINDEX, address=address[i],
                     prefixlen=32 if mode == "route" else prefixlen)
            pod.link("set", index=POD_IFINDEX, state="up")
            if mode == "route":
                pod.neigh("add", dst=str(gateway), lladdr=HOST_MAC, ifindex=POD_IFINDEX,
                          state=NUD_PERMANENT)
                pod.route("add", dst=f"{gateway}/32", oif=POD_IFINDEX, scope=RT_SCOPE_LINK)
            pod.route("add", dst="0.0.0.0/0", gateway=str(gateway), oif=POD_IFINDEX)
        os.close(nsfd)


def teardown(n, group):
    with IPRoute() as ipr:
        ipr.link("del", group=group)
    for i in range(1, n + 1):
        netns.remove(f"pod-{i}")


def main(argv):
    if len(argv) == 8 and argv[1] == "setup" and argv[2] in ("route", "bridge"):
        setup(argv[2], int(argv[3]), ipaddress.ip_address(argv[4]), int(argv[5]),
              ipaddress.ip_address(argv[6]), int(argv[7]))
    elif len(argv) == 5 and argv[1] == "teardown" and argv[2] in ("route", "bridge"):
        teardown(int(argv[3]), int(argv[4]))
    else:
        sys.exit(__doc__)
    print(f"work_seconds={time.perf_counter() - imported:.6f}")


if __name__ == "__main__":
    main(sys.argv)
