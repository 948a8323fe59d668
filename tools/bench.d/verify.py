"""The check a run must pass before its time counts: the pods really talk."""
import re
import subprocess

from kernel_state import netns_names

PING_ATTEMPTS = 3  # the article's proxy ARP answers after proxy_delay (up to 0.8 s)


def ping(pod, address):
    """One `ping -c1 -W1` from inside the pod; returns the reply's TTL or None."""
    result = subprocess.run(
        ("ip", "netns", "exec", pod, "ping", "-n", "-c1", "-W1", str(address)),
        capture_output=True, text=True)
    match = re.search(r"ttl=(\d+)", result.stdout)
    return int(match.group(1)) if result.returncode == 0 and match else None


def loopback_up(pod):
    out = subprocess.run(("ip", "-n", pod, "-o", "link", "show", "lo"),
                         capture_output=True, text=True).stdout
    return re.search(r"[<,]UP[,>]", out) is not None


def check_topology(topo, addresses=None):
    """Raises AssertionError unless pod-1 reaches pod-2 and the last pod with the
    mode's TTL (63 routed, 64 bridged), all N pod namespaces exist and the first
    and last pods have lo up.

    `addresses` maps pod index to address when a method chose them itself (CNI IPAM).
    """
    missing = [topo.pod(i) for i in topo.indexes() if topo.pod(i) not in netns_names()]
    if missing:
        raise AssertionError(f"{len(missing)} pod namespaces missing, e.g. {missing[0]}")
    for i in (1, topo.pods):
        if not loopback_up(topo.pod(i)):
            raise AssertionError(f"lo is not up in {topo.pod(i)}")
    for target in topo.ping_targets():
        address = addresses[target] if addresses else topo.address(target)
        ttl = None
        for _ in range(PING_ATTEMPTS):
            ttl = ping(topo.pod(1), address)
            if ttl is not None:
                break
        if ttl is None:
            raise AssertionError(f"{topo.pod(1)} cannot ping {topo.pod(target)} ({address})")
        if ttl != topo.expected_ttl:
            raise AssertionError(f"{topo.pod(1)} -> {topo.pod(target)} ({address}): "
                                 f"ttl={ttl}, expected {topo.expected_ttl}")
