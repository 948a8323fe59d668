#!/usr/bin/env python3
"""The node's network state as `ip -j` sees it, normalized, one object per line:
every named namespace (sorted) and the host; links (-d), IPv4 addresses, IPv4
routes of every table, permanent neighbours. Left out: what the kernel derives by
itself and no request sets (counters, timers, operstate and carrier flags), and
IPv6 (podnetc does not manage it; link-local addresses follow the MAC a bridge had
when it was created). A bridge port's STP state follows its carrier. Used by the kernel tests to prove "exactly as before".

    node_state.py [NETNS...]    only these namespaces ("" is the host)
"""
import json
import subprocess
import sys

DROP = {"stats", "stats64", "operstate", "link_netnsid", "inet6_addr_gen_mode"}
CARRIER_FLAGS = {"LOWER_UP", "NO-CARRIER", "M-DOWN"}


def ip(netns, *args):
    command = ["ip"] + (["-n", netns] if netns else []) + ["-j"] + list(args)
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out) if out.strip() else []


def clean(value, parent=""):
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if key in DROP or key.endswith("_timer"):
                continue
            if parent == "info_slave_data" and key == "state":  # a bridge port's STP state
                continue
            if key == "flags" and isinstance(item, list):
                item = [f for f in item if f not in CARRIER_FLAGS]
            if key == "addr_info":
                item = [a for a in item if a.get("family") != "inet6"]
            result[key] = clean(item, key)
        return result
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def namespaces():
    out = subprocess.run(["ip", "netns", "list"], check=True, capture_output=True, text=True).stdout
    return sorted(line.split()[0] for line in out.splitlines() if line.strip())


def main():
    selected = sys.argv[1:] if len(sys.argv) > 1 else [""] + namespaces()
    for netns in selected:
        label = netns or "host"
        for kind, args in (("link", ("-d", "link", "show")), ("addr", ("-4", "addr", "show")),
                           ("route", ("-4", "route", "show", "table", "all")),
                           ("neigh", ("-4", "neigh", "show", "nud", "permanent"))):
            for obj in ip(netns, *args):
                print(label, kind, json.dumps(clean(obj), sort_keys=True))


main()
