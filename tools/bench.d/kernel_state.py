"""What the root namespace holds, to prove a teardown left nothing behind."""
import os
import re
import subprocess
import time

from sandbox import read_sysctl, write_sysctl

NETNS_DIR = "/run/netns"

# Global knobs a method may flip; restored between runs (reported, not failures:
# e.g. the CNI plugins set ip_forward=1 and never reset it, by design).
GLOBAL_SYSCTLS = (
    "net/ipv4/ip_forward",
    "net/ipv4/conf/all/forwarding",
    "net/ipv4/conf/default/forwarding",
    "net/ipv4/conf/all/proxy_arp",
    "net/ipv4/conf/default/proxy_arp",
)


def device_names():
    """The root namespace's devices, cheaply (/proc/net is per network namespace)."""
    with open("/proc/net/dev") as f:
        return frozenset(line.split(":", 1)[0].strip() for line in f.readlines()[2:])


def netns_names():
    try:
        return frozenset(os.listdir(NETNS_DIR))
    except FileNotFoundError:
        return frozenset()


def _ip_lines(*argv):
    out = subprocess.run(("ip", *argv), check=True, capture_output=True, text=True).stdout
    # Strip the volatile parts: interface indexes, "@ifN" peers, counters of neighbours.
    lines = []
    for line in out.splitlines():
        line = re.sub(r"^\d+: ", "", line.strip())
        line = re.sub(r"@if\d+", "", line)
        line = re.sub(r"\s+(STALE|REACHABLE|DELAY|PROBE|FAILED|INCOMPLETE)$", "", line)
        if line:
            lines.append(line)
    return sorted(lines)


def snapshot():
    """Everything a method may create in the root namespace, as comparable text."""
    return {
        "netns": sorted(netns_names()),
        "links": _ip_lines("-o", "link", "show"),
        "addresses": _ip_lines("-o", "addr", "show"),
        "routes": _ip_lines("route", "show", "table", "all")
        + _ip_lines("-6", "route", "show", "table", "all"),
        "neighbours": [line for line in _ip_lines("neigh", "show") if "PERMANENT" in line],
        "rules": _ip_lines("rule", "show") + _ip_lines("-6", "rule", "show"),
    }


def globals_snapshot():
    return {name: read_sysctl(name) for name in GLOBAL_SYSCTLS}


def differences(before, after):
    """Human-readable lines for what `after` has that `before` has not (and vice versa)."""
    out = []
    for key in before:
        added = sorted(set(after[key]) - set(before[key]))
        removed = sorted(set(before[key]) - set(after[key]))
        out += [f"{key}: left {item}" for item in added]
        out += [f"{key}: lost {item}" for item in removed]
    return out


def wait_until_clean(baseline_devices, baseline_netns, timeout):
    """Polls until the root namespace has exactly the baseline devices and namespaces.

    Part of a timed teardown: deleting a namespace is asynchronous, and a veth whose
    pod end goes with the namespace disappears from the root only when the kernel has
    destroyed it. A teardown is done when the root namespace is clean.
    Returns True when clean, False on timeout.
    """
    deadline = time.perf_counter() + timeout
    while True:
        if device_names() == baseline_devices and netns_names() == baseline_netns:
            return True
        if time.perf_counter() > deadline:
            return False
        time.sleep(0.002)


def restore_globals(saved):
    """Writes back every global knob that changed; returns the changed ones."""
    changed = {}
    for name, value in saved.items():
        now = read_sysctl(name)
        if now != value:
            changed[name] = now
    # ip_forward first: writing it resets every device's forwarding and the defaults.
    for name in sorted(changed, key=lambda n: n != "net/ipv4/ip_forward"):
        write_sysctl(name, saved[name])
    return changed


def force_clean(baseline_devices, baseline_netns):
    """After a failed run: delete whatever is left so the next method starts clean."""
    for name in sorted(device_names() - baseline_devices):
        subprocess.run(("ip", "link", "del", name), capture_output=True)
    for name in sorted(netns_names() - baseline_netns):
        subprocess.run(("ip", "netns", "del", name), capture_output=True)
    wait_until_clean(baseline_devices, baseline_netns, timeout=30)
