#!/bin/bash
# The host-gw backend on two simulated nodes (tools/cluster-sim inside tools/sandbox):
# examples/cluster-host-gw.pnet applied on each node routes each node's pod subnet
# to the other's underlay address. Pods ping across nodes (two hops: ttl 62), a
# fresh plan is empty on both, destroy leaves no owned route, and a foreign route
# on a node stays. Before forwarding is on, the plan warns; a device that is not
# there is a conflict.
set -euo pipefail
source "$(dirname "$0")/lib/apply_lib.sh"
sim=$PODNETC_SOURCE_DIR/tools/cluster-sim
file=$examples/cluster-host-gw.pnet
work=$(mktemp -d)
trap '"$sim" down; rm -rf "$work"' EXIT

on() { "$sim" exec "$@"; }

# on_ping NODE POD ADDRESS TTL: one echo from POD on NODE, answered with this TTL.
on_ping() {
    local out
    out=$(on "$1" ip netns exec "$2" ping -c1 -W2 "$3" 2>&1) || fail "ping $3 from $1/$2: $out"
    grep -q "ttl=$4 " <<<"$out" || fail "ping $3 from $1/$2: expected ttl=$4: $out"
}

"$sim" up 2
on worker-1 ip route add 198.51.100.0/24 via 192.168.0.1 dev eth0

# A node's netns starts with forwarding off: the plan says so, and still applies.
out=$(on worker-1 "$PODNETC" plan "$file" --node worker-1 2>&1) || fail "plan worker-1: $out"
grep -q "warning: IPv4 forwarding is off on node worker-1 (net.ipv4.ip_forward = 0)" <<<"$out" ||
    fail "no forwarding warning: $out"
grep -q "+ route 10.244.2.0/24 via 192.168.0.12 dev eth0 (pods of worker-2)" <<<"$out" ||
    fail "no route to worker-2's pods in the plan: $out"

# An underlay device the node does not have: a conflict, nothing applied.
sed 's/dev eth0/dev eth9/' "$file" > "$work/eth9.pnet"
if out=$(on worker-1 "$PODNETC" apply "$work/eth9.pnet" --node worker-1 2>&1); then
    fail "apply with a missing underlay device succeeded: $out"
fi
grep -q "error: underlay device eth9 does not exist on node worker-1" <<<"$out" || fail "no conflict: $out"
[ -z "$(on worker-1 ip netns list)" ] || fail "the refused apply created namespaces"

for i in 1 2; do
    on "worker-$i" sysctl -qw net.ipv4.ip_forward=1
    out=$(on "worker-$i" "$PODNETC" apply "$file" --node "worker-$i" 2>&1) || fail "apply worker-$i: $out"
    ! grep -q "warning:" <<<"$out" || fail "apply worker-$i warns with forwarding on: $out"
done
shows "via 192.168.0.12 dev eth0 proto 176" on worker-1 ip route show 10.244.2.0/24 ||
    fail "worker-1 has no owned route to worker-2's pods: $(on worker-1 ip route)"
shows "via 192.168.0.11 dev eth0 proto 176" on worker-2 ip route show 10.244.1.0/24 ||
    fail "worker-2 has no owned route to worker-1's pods: $(on worker-2 ip route)"

# worker-1's pods are routed (route mode), worker-2's bridged: each way, two hosts forward.
on_ping worker-1 web-1 10.244.2.10 62
on_ping worker-1 web-2 10.244.2.11 62
on_ping worker-2 web-3 10.244.1.10 62
on_ping worker-2 web-4 10.244.1.11 62

for i in 1 2; do
    on "worker-$i" "$PODNETC" plan "$file" --node "worker-$i" --detailed-exitcode > "$work/replan.txt" 2>&1 ||
        fail "a fresh plan on worker-$i is not empty: $(cat "$work/replan.txt")"
done

for i in 1 2; do
    out=$(on "worker-$i" "$PODNETC" destroy --yes "$file" --node "worker-$i" 2>&1) || fail "destroy worker-$i: $out"
    [ -z "$(on "worker-$i" ip route show table all proto 176)" ] ||
        fail "worker-$i: owned routes left: $(on "worker-$i" ip route show table all proto 176)"
    [ -z "$(on "worker-$i" ip netns list)" ] || fail "worker-$i: namespaces left"
done
shows "via 192.168.0.1 dev eth0" on worker-1 ip route show 198.51.100.0/24 ||
    fail "the foreign route on worker-1 is gone"
echo "cluster-host-gw: ok"
