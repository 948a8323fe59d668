"""podnetc itself: `podnetc apply FILE` / `podnetc destroy FILE` on a file written by
`tools/gen-pods N --mode MODE --host-veth veth [--bridge cbr0]` (untimed). The
binary is --podnetc (default build/podnetc); its state directory is
$PODNETC_STATE_DIR (default /run/podnetc, the sandbox's tmpfs)."""
import os
import re
import subprocess


from methods.base import Method, Skip, run
from topology import BRIDGE, GEN_PODS

_POD_LINE = re.compile(r"^pod (pod-\d+) on \S+ address (\S+) host-veth (\S+)$")


def has_command(podnetc, command):
    """True when `podnetc COMMAND --help` succeeds (an unknown command exits 64)."""
    return subprocess.run([podnetc, command, "--help"], capture_output=True).returncode == 0


def write_pnet(topo, path, pods=None, readdress=None):
    """gen-pods' file for topo (or for `pods` pods on topo's addressing), optionally
    with one pod's address replaced: readdress = (index, new address)."""
    argv = [GEN_PODS, str(pods or topo.pods), "--mode", topo.mode, "--host-veth", "veth"]
    if topo.mode == "bridge":
        argv += ["--bridge", BRIDGE]
    text = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    lines = text.splitlines()
    if f" subnet {topo.subnet} " not in lines[1] + " ":
        raise RuntimeError(f"{pods} pods need another subnet than {topo.subnet}: "
                           f"{lines[1]!r}")
    for k, line in enumerate(lines):
        match = _POD_LINE.match(line)
        if not match:
            continue
        i = int(match.group(1)[4:])
        if match.group(2) != str(topo.address(i)) or match.group(3) != topo.host_veth(i):
            raise RuntimeError(f"gen-pods and the bench plan disagree on {match.group(1)}")
        if readdress and readdress[0] == i:
            lines[k] = line.replace(f" address {match.group(2)} ", f" address {readdress[1]} ")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


class Podnetc(Method):
    name = "podnetc"
    builds = {
        "route": "docs/LANGUAGE.md route mode: host MAC ee:ee:ee:ee:ee:ee, proxy_arp=1 + "
                 "forwarding=1 per host veth, proxy_delay 0, static neighbour for "
                 "169.254.1.1 in the pod, `169.254.1.1 dev eth0` + default via it",
        "bridge": "docs/LANGUAGE.md bridge mode with gateway: cbr0 owns the gateway, pods "
                  "ADDR/PREFIX + default via it",
    }

    def check_available(self):
        if not (os.path.isfile(self.ctx.podnetc) and os.access(self.ctx.podnetc, os.X_OK)):
            raise Skip(f"podnetc not built at {self.ctx.podnetc}")
        for command in ("apply", "destroy"):
            if not has_command(self.ctx.podnetc, command):
                raise Skip(f"podnetc has no {command} command")

    def file(self, pods, mode):
        return self.path(f"{mode}-{pods}.pnet")

    def prepare(self, pods, mode):
        write_pnet(self.topo(pods, mode), self.file(pods, mode))

    def setup(self, pods, mode):
        run([self.ctx.podnetc, "apply", self.file(pods, mode)])

    def teardown(self, pods, mode):
        run([self.ctx.podnetc, "destroy", "--yes", self.file(pods, mode)])
