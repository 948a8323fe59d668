"""The one addressing plan every method builds, taken from tools/gen-pods.

Pods pod-1..pod-N, host veths veth1..vethN, addresses counted up from the subnet's
second address (10.64.0.2, …) in the smallest subnet that holds N (gen-pods' rule).

route  — the article's calico model: the pod has ADDR/32 on eth0, the next hop is the
         link-local 169.254.1.1, the host has ADDR/32 dev vethI and answers for the
         gateway (proxy ARP, or a static neighbour, depending on the method).
bridge — the docker/cni0 model: host veths are ports of cbr0, which owns the
         subnet's first address (the pods' default gateway); pods have ADDR/PREFIX.
"""
import importlib.machinery
import importlib.util
import ipaddress
import os
from dataclasses import dataclass

BRIDGE = "cbr0"
ROUTE_GATEWAY = ipaddress.ip_address("169.254.1.1")
ROUTE_HOST_MAC = "ee:ee:ee:ee:ee:ee"  # calico's host-side MAC, podnetc's route-mode default
LINK_GROUP = 7331  # IFLA_GROUP marking the links of the methods that delete by group
MODES = ("route", "bridge")

_TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN_PODS = os.path.join(_TOOLS, "gen-pods")


def _load_gen_pods():
    loader = importlib.machinery.SourceFileLoader("gen_pods", GEN_PODS)
    spec = importlib.util.spec_from_loader("gen_pods", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


_gen_pods = _load_gen_pods()


@dataclass(frozen=True)
class Topology:
    pods: int
    mode: str

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}")
        if self.pods < 1:
            raise ValueError("at least one pod")

    @property
    def subnet(self):
        return _gen_pods.subnet_for(self.pods)

    @property
    def prefixlen(self):
        """The prefix length of a pod's address."""
        return 32 if self.mode == "route" else self.subnet.prefixlen

    @property
    def gateway(self):
        """The pods' next hop: 169.254.1.1 (route) or the bridge's address (bridge)."""
        if self.mode == "route":
            return ROUTE_GATEWAY
        return self.subnet.network_address + 1

    def pod(self, i):
        return f"pod-{i}"

    def host_veth(self, i):
        return f"veth{i}"

    def address(self, i):
        return self.subnet.network_address + 1 + i

    def indexes(self):
        return range(1, self.pods + 1)

    def ping_targets(self):
        """pod-1 pings pod-2 and the last pod (one of them when there are two pods)."""
        return sorted({i for i in (2, self.pods) if i != 1})

    @property
    def expected_ttl(self):
        return 63 if self.mode == "route" else 64  # one routed hop vs layer 2
