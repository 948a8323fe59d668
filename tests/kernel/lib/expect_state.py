#!/usr/bin/env python3
"""expect_state.py IR.json STATE.json ADDRESS_PROTOCOL

Checks that a live-state snapshot (`podnetc show --json`) holds exactly the kernel
objects of a lowered IR (`podnetc compile --emit json`), with podnetc's markers, and
nothing else but what the kernel makes by itself (lo, prefix routes of addresses).
ADDRESS_PROTOCOL is the protocol the addresses are expected to carry (0 when they
were added by an iproute2 that cannot mark them, else 176). Prints every mismatch.
"""
import ipaddress
import json
import sys

GROUP, PROTOCOL = 20558, 176


def main():
    ir = json.load(open(sys.argv[1]))
    state = json.load(open(sys.argv[2]))
    address_protocol = int(sys.argv[3])
    problems = []

    def expect(condition, what):
        if not condition:
            problems.append(what)

    spaces = {n["name"]: n for n in state["namespaces"]}
    expect(state.get("ip_forward") is False, f"ip_forward is {state.get('ip_forward')}, podnetc never sets it")
    declared = sorted(n["name"] for n in ir["namespaces"])
    expect(sorted(spaces) == sorted([""] + declared), f"namespaces {sorted(spaces)}, declared {declared}")
    for name in declared:
        expect(spaces.get(name, {}).get("owned") is True, f"namespace {name} is not in the registry")

    def where(netns, name):
        return f"{netns}/{name}" if netns else name

    # Links: exactly the declared ones besides lo, with every declared attribute.
    live_links = {(ns, l["name"]): l for ns, n in spaces.items() for l in n["links"] if l["name"] != "lo"}
    want_links = {(l["netns"], l["name"]): l for l in ir["links"]}
    expect(sorted(live_links) == sorted(want_links), f"links {sorted(live_links)}, declared {sorted(want_links)}")
    for key, want in want_links.items():
        have = live_links.get(key)
        if have is None:
            continue
        name = where(*key)
        expect(have.get("kind") == want["kind"], f"{name}: kind {have.get('kind')}, declared {want['kind']}")
        if want["kind"] == "veth":
            peer = have.get("peer", {})
            expect((peer.get("netns"), peer.get("name")) == (want["peer_netns"], want["peer_name"]),
                   f"{name}: peer {peer}, declared {want['peer_netns']}/{want['peer_name']}")
        expect(have.get("master", "") == (want["master"] or ""), f"{name}: master {have.get('master')}")
        expect(("up" in have["flags"]) == want["up"], f"{name}: flags {have['flags']}, declared up={want['up']}")
        expect(have.get("group") == GROUP and have["owned"], f"{name}: group {have.get('group')}")
        for field in ("mac", "mtu", "proxy_arp", "forwarding", "proxy_delay_ms"):
            if want[field] is not None:
                expect(have.get(field) == want[field], f"{name}: {field} {have.get(field)}, declared {want[field]}")
    for ns, n in spaces.items():
        lo = [l for l in n["links"] if l["name"] == "lo"]
        expect(len(lo) == 1, f"namespace {ns or 'host'}: lo {lo}")

    # Addresses: the declared ones besides lo's.
    live_addresses = {(ns, a["dev"], a["local"]): a for ns, n in spaces.items() for a in n["addresses"]
                      if a["dev"] != "lo"}
    want_addresses = {(a["netns"], a["dev"], a["local"]) for a in ir["addresses"]}
    expect(set(live_addresses) == want_addresses,
           f"addresses {sorted(live_addresses)}, declared {sorted(want_addresses)}")
    for key, a in live_addresses.items():
        expect(a["protocol"] == address_protocol, f"address {key}: protocol {a['protocol']}, expected {address_protocol}")

    # Routes: the declared ones, owned; besides them only prefix routes of addresses.
    def route_key(ns, r):
        return (ns, r["dst"], r.get("gateway"), r.get("dev", ""), r["scope"], "onlink" in r.get("flags", []))

    owned_routes = {route_key(ns, r): r for ns, n in spaces.items() for r in n["routes"] if r["protocol"] == PROTOCOL}
    want_routes = {(r["netns"], r["dst"], r["gateway"], r["dev"], r["scope"], r["onlink"]) for r in ir["routes"]}
    expect(set(owned_routes) == want_routes, f"routes {sorted(owned_routes)}, declared {sorted(want_routes)}")
    for key, r in owned_routes.items():
        expect(r["table"] == "main" and r["metric"] == 0 and r["owned"], f"route {key}: {r}")
    prefixes = {(ns, a["dev"], str(ipaddress.ip_interface(a["local"]).network), a["local"].split("/")[0])
                for ns, n in spaces.items() for a in n["addresses"]}
    for ns, n in spaces.items():
        for r in n["routes"]:
            if r["protocol"] == PROTOCOL:
                continue
            expect(r["protocol_name"] == "kernel" and (ns, r.get("dev"), r["dst"], r.get("prefsrc")) in prefixes,
                   f"namespace {ns or 'host'}: a route podnetc did not declare: {r}")

    # Permanent neighbours: the declared ones.
    live_neighbors = {(ns, x["dev"], x["dst"], x.get("lladdr")): x for ns, n in spaces.items() for x in n["neighbors"]}
    want_neighbors = {(x["netns"], x["dev"], x["dst"], x["lladdr"]) for x in ir["neighbors"]}
    expect(set(live_neighbors) == want_neighbors,
           f"neighbours {sorted(live_neighbors)}, declared {sorted(want_neighbors)}")
    for key, x in live_neighbors.items():
        expect(x["state"] == ["permanent"] and x["protocol"] == PROTOCOL, f"neighbour {key}: {x}")

    for p in problems:
        print(f"expect_state: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
