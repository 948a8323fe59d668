"""The CNI reference plugins (Debian's containernetworking-plugins), run as a
container runtime runs them: the binary with CNI_COMMAND=ADD/DEL, CNI_CONTAINERID,
CNI_NETNS, CNI_IFNAME=eth0, CNI_PATH and the network config (cniVersion 1.0.0) on
stdin, one process per pod (plus the IPAM plugin it execs). This harness plays the
runtime (a Python loop, like libcni's Go loop).

- bridge mode: `bridge` (cbr0, isGateway: the bridge owns the gateway, pods get a
  default route via it) with `host-local` IPAM;
- route mode: `ptp` with `host-local`. ptp is CNI's routed model but not calico's: the
  host veth gets the gateway address 10.64.0.1/32 (on every host veth) instead of
  proxy-ARPing for 169.254.1.1, the pod has ADDR/PREFIX with `GW dev eth0 scope link`,
  the subnet and default via GW; the host route is `ADDR dev vethXXXX scope host`;
  host veth names are random. It works in the bare sandbox (the gateway is a real
  address, no proxy ARP needed). Both plugins set net.ipv4.ip_forward=1 and leave it.
- IPAM state lives in a private dataDir, fresh for every run; host-local hands out
  addresses in order from the subnet's second address, so the plan's addresses.
- Namespaces: created (and deleted) by one `ip -batch` of `netns add` lines, the
  cheapest iproute2 way (a runtime creates them in-process). DEL removes each pod's
  veth and releases its address; CNI never deletes the bridge, so teardown ends with
  `ip link del cbr0`.
- Every pod's lo: the `loopback` plugin (CNI_IFNAME=lo), as containerd and CRI-O call
  it for every pod sandbox, before the network plugin on ADD and after it on DEL.
"""
import ipaddress
import json
import os
import shutil

from methods.base import Method, require_program, run, write_script
from topology import BRIDGE

CNI_PATH = "/usr/lib/cni"


class Cni(Method):
    name = "cni"
    builds = {
        "route": "ptp + host-local: host veth owns 10.64.0.1/32 (the gateway), pod "
                 "ADDR/PREFIX + `GW dev eth0` + subnet and default via GW; host route "
                 "`ADDR dev vethXXXX scope host`; random host veth names",
        "bridge": "bridge (isGateway) + host-local: cbr0 with the gateway, pods ADDR/PREFIX + "
                  "default via gateway",
    }

    def __init__(self, ctx):
        super().__init__(ctx)
        self.results = []

    def check_available(self):
        for plugin in ("bridge", "ptp", "host-local", "loopback"):
            require_program(os.path.join(CNI_PATH, plugin), "containernetworking-plugins")

    def _config(self, topo):
        ipam = {"type": "host-local", "dataDir": self.path("ipam"),
                "ranges": [[{"subnet": str(topo.subnet),
                             "gateway": str(topo.subnet.network_address + 1)}]],
                "routes": [{"dst": "0.0.0.0/0"}]}
        if topo.mode == "bridge":
            plugin = {"type": "bridge", "bridge": BRIDGE, "isGateway": True, "ipMasq": False}
        else:
            plugin = {"type": "ptp", "ipMasq": False}
        return json.dumps({"cniVersion": "1.0.0", "name": "bench", **plugin, "ipam": ipam})

    def prepare(self, pods, mode):
        topo = self.topo(pods, mode)
        tag = f"{mode}-{pods}"
        write_script(self.path(f"netns-add-{tag}.batch"),
                     [f"netns add {topo.pod(i)}" for i in topo.indexes()])
        teardown = [f"netns del {topo.pod(i)}" for i in topo.indexes()]
        if mode == "bridge":
            teardown.append(f"link del {BRIDGE}")
        write_script(self.path(f"teardown-{tag}.batch"), teardown)
        self.fresh_dir("ipam")
        self.config = self._config(topo).encode()
        self.loopback_config = json.dumps({"cniVersion": "1.0.0", "name": "lo", "type": "loopback"}).encode()

    def _call(self, plugin, command, topo, i, ifname, config):
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "CNI_COMMAND": command,
               "CNI_CONTAINERID": topo.pod(i), "CNI_NETNS": f"/run/netns/{topo.pod(i)}",
               "CNI_IFNAME": ifname, "CNI_PATH": CNI_PATH}
        return run([os.path.join(CNI_PATH, plugin)], stdin=config, env=env)

    def _plugin(self, command, topo, i):
        plugin = "ptp" if topo.mode == "route" else "bridge"
        return self._call(plugin, command, topo, i, "eth0", self.config)

    def _loopback(self, command, topo, i):
        self._call("loopback", command, topo, i, "lo", self.loopback_config)

    def setup(self, pods, mode):
        topo = self.topo(pods, mode)
        run(["ip", "-batch", self.path(f"netns-add-{mode}-{pods}.batch")])
        self.results = []
        for i in topo.indexes():
            self._loopback("ADD", topo, i)
            self.results.append(self._plugin("ADD", topo, i))

    def addresses(self, pods, mode):
        """The addresses host-local chose (parsed after the timed setup)."""
        out = {}
        for i, raw in enumerate(self.results, start=1):
            result = json.loads(raw)
            out[i] = ipaddress.ip_interface(result["ips"][0]["address"]).ip
        return out

    def teardown(self, pods, mode):
        topo = self.topo(pods, mode)
        for i in topo.indexes():
            self._plugin("DEL", topo, i)
            self._loopback("DEL", topo, i)
        run(["ip", "-batch", self.path(f"teardown-{mode}-{pods}.batch")])

    def after_teardown(self, pods, mode):
        """IPAM must have released every address; then the dataDir goes."""
        ipam = self.path("ipam", "bench")
        held = sorted(f for f in os.listdir(ipam) if f[0].isdigit()) if os.path.isdir(ipam) else []
        shutil.rmtree(self.path("ipam"), ignore_errors=True)
        return [f"host-local still holds {a}" for a in held]
