#!/usr/bin/env python3
"""The node's network state as `ip -j` sees it, normalized, one object per line:
every named namespace (sorted) and the host; links (-d), IPv4 addresses, IPv4
routes of every table, permanent neighbours. Left out: what the kernel derives by
itself and no request sets (counters, timers, operstate and carrier flags), and
IPv6 (podnetc does not manage it; link-local addresses follow the MAC a bridge had
when it was created). A bridge port's STP state follows its carrier. Used by the kernel tests to prove "exactly as before".

    node_state.py [NETNS...]    only these namespaces ("" is the host)
"""
import concurrent.futures
import json
import subprocess
import sys

DROP = {"stats", "stats64", "operstate", "link_netnsid", "inet6_addr_gen_mode"}
CARRIER_FLAGS = {"LOWER_UP", "NO-CARRIER", "M-DOWN"}


def ip(netns, options, *commands):
    """`ip -j OPTIONS` run once in NETNS for all COMMANDS (-batch): one list each."""
    command = ["ip"] + (["-n", netns] if netns else []) + ["-j"] + list(options) + ["-batch", "-"]
    out = subprocess.run(command, check=True, capture_output=True, text=True,
                         input="".join(c + "\n" for c in commands)).stdout
    results, decoder, at = [], json.JSONDecoder(), 0
    while out[at:].strip():  # one JSON array per command, in order ("[]" when none)
        at += len(out[at:]) - len(out[at:].lstrip())
        value, at = decoder.raw_decode(out, at)
        results.append(value)
    if len(results) != len(commands):
        raise RuntimeError(f"{len(results)} answers from ip -batch for {len(commands)} commands")
    return results


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


def objects(netns):
    (links,) = ip(netns, ["-d"], "link show")
    addrs, routes, neighs = ip(netns, ["-4"], "addr show", "route show table all",
                               "neigh show nud permanent")
    return (("link", links), ("addr", addrs), ("route", routes), ("neigh", neighs))


def main():
    selected = sys.argv[1:] if len(sys.argv) > 1 else [""] + namespaces()
    # Two ip processes a namespace, not one a kind, and several namespaces at once:
    # entering a namespace mostly waits on the kernel, and with a hundred of them
    # the snapshot is most of what the fault and crash tests spend.
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        for netns, kinds in zip(selected, pool.map(objects, selected)):
            label = netns or "host"
            for kind, found in kinds:
                for obj in found:
                    print(label, kind, json.dumps(clean(obj), sort_keys=True))


main()
