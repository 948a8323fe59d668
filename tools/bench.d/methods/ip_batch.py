"""iproute2 used as fast as it honestly goes.

- One `ip -batch` process for the root namespace: `netns add` for every pod (iproute2
  does unshare + bind mount in-process in batch mode, no fork per namespace), one
  `link add` per veth with everything the kernel takes at create time (host end up,
  MAC, master, link group, peer named eth0 placed in the pod), the host routes and
  `ntable change … proxy_delay 0`.
- proxy_arp and forwarding per host veth have no `ip` command: bash writes /proc/sys
  (builtins, no process).
- One `ip -n pod-N -batch` process per pod for the pod side (addresses and routes
  cannot be given at create time and are flushed by a netns move, and ip has no
  way to switch namespaces inside one batch): the N processes are the floor of
  iproute2. The pod's lo is brought up there too.
- Teardown: `link del group G` (one RTM_DELLINK for every host veth and the bridge:
  iproute2's group support) and `netns del` for every pod, all in one batch.
Batch files are written beforehand (untimed), like a script.
"""
from methods.base import Method, run, write_script
from topology import BRIDGE, LINK_GROUP, ROUTE_HOST_MAC


class IpBatch(Method):
    name = "ip-batch"
    builds = {
        "route": "same as podnetc: host MAC ee:ee:ee:ee:ee:ee, proxy_arp=1 + forwarding=1 "
                 "per host veth (no global ip_forward), proxy_delay 0, static neighbour for "
                 "169.254.1.1 in the pod, `169.254.1.1 dev eth0` + default via it",
        "bridge": "same as podnetc: cbr0 with the gateway, ports created with master + up, "
                  "pods ADDR/PREFIX + default via gateway",
    }

    def prepare(self, pods, mode):
        topo = self.topo(pods, mode)
        tag = f"{mode}-{pods}"
        root = []
        if mode == "bridge":
            root += [f"link add {BRIDGE} group {LINK_GROUP} up type bridge",
                     f"addr add {topo.gateway}/{topo.prefixlen} dev {BRIDGE}"]
        root += [f"netns add {topo.pod(i)}" for i in topo.indexes()]
        for i in topo.indexes():
            extra = f"address {ROUTE_HOST_MAC}" if mode == "route" else f"master {BRIDGE}"
            root.append(f"link add {topo.host_veth(i)} {extra} group {LINK_GROUP} up "
                        f"type veth peer name eth0 netns {topo.pod(i)}")
        if mode == "route":
            for i in topo.indexes():
                veth = topo.host_veth(i)
                root += [f"route add {topo.address(i)}/32 dev {veth} scope link",
                         f"ntable change name arp_cache dev {veth} proxy_delay 0"]
        write_script(self.path(f"root-{tag}.batch"), root)

        for i in topo.indexes():
            pod = ["link set lo up",
                   f"addr add {topo.address(i)}/{topo.prefixlen} dev eth0",
                   "link set eth0 up"]
            if mode == "route":
                pod += [f"neigh add {topo.gateway} lladdr {ROUTE_HOST_MAC} dev eth0 nud permanent",
                        f"route add {topo.gateway}/32 dev eth0 scope link"]
            pod.append(f"route add default via {topo.gateway} dev eth0")
            write_script(self.path(f"pod-{tag}-{i}.batch"), pod)

        script = ["#!/bin/bash", "set -e", f"ip -batch {self.path(f'root-{tag}.batch')}"]
        if mode == "route":
            script += [f"for i in {{1..{pods}}}; do",
                       "    echo 1 > /proc/sys/net/ipv4/conf/veth$i/proxy_arp",
                       "    echo 1 > /proc/sys/net/ipv4/conf/veth$i/forwarding",
                       "done"]
        script += [f"for i in {{1..{pods}}}; do",
                   f"    ip -n pod-$i -batch {self.path(f'pod-{tag}-')}$i.batch",
                   "done"]
        write_script(self.path(f"setup-{tag}.sh"), script)

        teardown = [f"link del group {LINK_GROUP}"]
        teardown += [f"netns del {topo.pod(i)}" for i in topo.indexes()]
        write_script(self.path(f"teardown-{tag}.batch"), teardown)

    def setup(self, pods, mode):
        run(["/bin/bash", self.path(f"setup-{mode}-{pods}.sh")])

    def teardown(self, pods, mode):
        run(["ip", "-batch", self.path(f"teardown-{mode}-{pods}.batch")])
