"""The reference article's way: one `ip` (or `ip netns exec … ip`) process per step.

A bash script written beforehand, as a reader of the article would write it for N
pods; sysctls are plain writes to /proc/sys (shell builtins, no process). The pod end
of the veth is created directly in the pod (`peer name eth0 netns pod-N`), since the
host may own an eth0 already. Bridge mode uses `ip link set … master` for the article's
`brctl addif` (bridge-utils is deprecated) and gives cbr0 the gateway address, as the
common plan says. Every pod's lo is brought up (`ip netns exec pod-N ip link set lo up`),
as podnetc and a Kubernetes pod have it.
"""
from methods.base import Method, run, write_script
from topology import BRIDGE


class Article(Method):
    name = "article"
    builds = {
        "route": "article's commands: ADDR/32, `169.254.1.1 dev eth0`, default via it; "
                 "host veth up + proxy_arp=1, ADDR/32 route; ip_forward=1 once. "
                 "Proxy ARP answers via the node's default route; proxy_delay stays 80 "
                 "(first ping up to 0.8 s late)",
        "bridge": "cbr0 with the gateway address; per pod ADDR/PREFIX, default via gateway, "
                  "host veth `master cbr0` + up",
    }

    def prepare(self, pods, mode):
        topo = self.topo(pods, mode)
        lines = ["#!/bin/bash", "set -e"]
        if mode == "route":
            lines.append("echo 1 > /proc/sys/net/ipv4/ip_forward")
        else:
            lines += [f"ip link add {BRIDGE} type bridge",
                      f"ip link set {BRIDGE} up",
                      f"ip addr add {topo.gateway}/{topo.prefixlen} dev {BRIDGE}"]
        for i in topo.indexes():
            pod, veth, addr = topo.pod(i), topo.host_veth(i), topo.address(i)
            inside = f"ip netns exec {pod} ip"
            lines += [f"ip netns add {pod}",
                      f"{inside} link set lo up",
                      f"ip link add {veth} type veth peer name eth0 netns {pod}"]
            if mode == "route":
                lines += [f"{inside} addr add {addr} dev eth0",
                          f"{inside} link set eth0 up",
                          f"{inside} route add {topo.gateway} dev eth0",
                          f"{inside} route add default via {topo.gateway} dev eth0",
                          f"ip link set dev {veth} up",
                          f"echo 1 > /proc/sys/net/ipv4/conf/{veth}/proxy_arp",
                          f"ip route add {addr} dev {veth} scope link"]
            else:
                lines += [f"{inside} addr add {addr}/{topo.prefixlen} dev eth0",
                          f"{inside} link set eth0 up",
                          f"{inside} route add default via {topo.gateway} dev eth0",
                          f"ip link set {veth} master {BRIDGE}",
                          f"ip link set {veth} up"]
        write_script(self.path(f"setup-{mode}-{pods}.sh"), lines)

        lines = ["#!/bin/bash", "set -e"]
        for i in topo.indexes():
            # The host end first: deleting it is synchronous and takes the pod end and
            # the host route with it; the namespace then holds only lo.
            lines += [f"ip link del {topo.host_veth(i)}", f"ip netns del {topo.pod(i)}"]
        if mode == "bridge":
            lines.append(f"ip link del {BRIDGE}")
        write_script(self.path(f"teardown-{mode}-{pods}.sh"), lines)

    def setup(self, pods, mode):
        run(["/bin/bash", self.path(f"setup-{mode}-{pods}.sh")])

    def teardown(self, pods, mode):
        run(["/bin/bash", self.path(f"teardown-{mode}-{pods}.sh")])
