#!/usr/bin/env python3
"""`podnetc show --json` on stdin without what the kernel derives by itself and
no request sets: operstate, the carrier-dependent link flags (running, lower_up,
dormant) and a bridge port's STP state settle asynchronously after a link comes
up."""
import json
import sys

CARRIER = {"running", "lower_up", "dormant"}
state = json.load(sys.stdin)
for ns in state.get("namespaces", []):
    for link in ns.get("links", []):
        link.pop("operstate", None)
        link["flags"] = [f for f in link.get("flags", []) if f not in CARRIER]
        link.get("bridge_port", {}).pop("state", None)
json.dump(state, sys.stdout, indent=1, sort_keys=True)
print()
