"""Running inside tools/sandbox, and preparing the sandbox to look like a node."""
import os
import subprocess
import sys

SANDBOX_TMPFS = "podnetc-sandbox"  # the tmpfs tools/sandbox mounts on /run
SANDBOX_RECORD = "/run/podnetc-sandbox"  # its network namespace, written by tools/sandbox

UPLINK = "uplink0"
UPLINK_PEER = "uplink1"
UPLINK_ADDRESS = "192.0.2.2/24"
UPLINK_GATEWAY = "192.0.2.1"


HOST_NETNS_ENV = "PODNETC_BENCH_HOST_NETNS"  # set by reexec_in_sandbox


def _own_netns():
    return os.readlink("/proc/self/ns/net")


def inside_sandbox():
    """True inside tools/sandbox: its /run (private to its mount namespace) records the
    sandbox's network namespace in /run/podnetc-sandbox. Sandboxes without that record
    are recognised by their tmpfs on /run together with a network namespace other than
    the one we were started in (when known: pid 1's namespaces may be unreadable even
    for root in a container)."""
    try:
        with open(SANDBOX_RECORD) as record:
            return record.read().strip() == _own_netns()
    except FileNotFoundError:
        pass
    with open("/proc/self/mountinfo") as mountinfo:
        sandbox_run = False
        for line in mountinfo:
            fields = line.split()
            separator = fields.index("-")
            if fields[4] == "/run":  # the last mount on /run wins
                sandbox_run = fields[separator + 1:separator + 3] == ["tmpfs", SANDBOX_TMPFS]
    if not sandbox_run:
        return False
    if os.environ.get(HOST_NETNS_ENV) == _own_netns():
        return False
    try:
        return os.readlink("/proc/1/ns/net") != _own_netns()
    except OSError:
        return True


def reexec_in_sandbox(sandbox, argv):
    """Replaces this process with itself run by tools/sandbox (never returns). Refuses
    to loop: a process that was re-executed already and still is not inside fails."""
    if HOST_NETNS_ENV in os.environ:
        sys.exit("tools/bench: started through tools/sandbox but not inside a sandbox")
    os.environ[HOST_NETNS_ENV] = _own_netns()
    os.execv(sandbox, [sandbox, sys.executable, *argv])


def run(*argv):
    subprocess.run(argv, check=True)


def prepare_node(host_ipv6):
    """Once per run, untimed, shared by every method.

    - A fresh sysfs: tools/sandbox keeps the host's /sys, whose class/net lists the
      host's devices; tools that read /sys must see the sandbox's (private mount ns).
    - A node uplink with a default route, as every real node has: a veth pair
      uplink0/uplink1, 192.0.2.2/24, default via 192.0.2.1. The article's route mode
      needs it (proxy ARP answers for 169.254.1.1 only if the host routes that
      address out of another device); methods that use a static neighbour do not.
    - IPv6 off for new root-namespace devices (all methods alike) unless host_ipv6.
      The pods' namespaces start with the kernel's defaults (IPv6 on) whatever this
      says: only code running inside each pod could change that.
    """
    run("mount", "-t", "sysfs", "sysfs", "/sys")
    os.makedirs("/run/netns", exist_ok=True)
    if not host_ipv6:
        write_sysctl("net/ipv6/conf/default/disable_ipv6", "1")
    run("ip", "link", "add", UPLINK, "type", "veth", "peer", "name", UPLINK_PEER)
    run("ip", "addr", "add", UPLINK_ADDRESS, "dev", UPLINK)
    run("ip", "link", "set", UPLINK, "up")
    run("ip", "link", "set", UPLINK_PEER, "up")
    run("ip", "route", "add", "default", "via", UPLINK_GATEWAY, "dev", UPLINK)


def write_sysctl(name, value):
    with open(f"/proc/sys/{name}", "w") as f:
        f.write(value)


def read_sysctl(name):
    with open(f"/proc/sys/{name}") as f:
        return f.read().strip()
