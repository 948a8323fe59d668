#!/bin/bash
# podnetc apply / destroy on the examples, against the real kernel (inside
# tools/sandbox): each topology is applied (with --verify: ICMP probes from inside
# the pods), every pod's lo is up and answers 127.0.0.1, pod-1 pings pod-2 (TTL 64
# across a bridge or a veth pair, 63 through the host's routing), the node then plans empty;
# one pod's address changes in a copy of the file, the plan touches only that,
# apply, ping the new address; destroy leaves nothing of podnetc's. Foreign
# objects made first (a bridge, a veth pair with an address and a route, a
# namespace) are byte-for-byte the same at the end. An adopted namespace that
# `ip netns add` made keeps its lo down.
set -euo pipefail
source "$(dirname "$0")/lib/apply_lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

foreign_setup
foreign_dump "$work/foreign.before"

# plan_only_touches FILE POD OLD NEW: every operation is for POD or names OLD/NEW.
plan_only_touches() {
    "$PODNETC" plan "$1" --json > "$work/plan.json"
    python3 - "$work/plan.json" "$2" "$3" "$4" <<'PY' || fail "plan of $1 touches more than $2"
import json, sys
plan = json.load(open(sys.argv[1]))
pod, old, new = sys.argv[2:]
ops = plan["ops"]
assert ops, "empty plan"
for op in ops:
    text = json.dumps(op)
    if op["pod"] != pod and old not in text and new not in text:
        sys.exit(f"unexpected operation: {op['step']}")
PY
}

check_example() {  # FILE PEER-ADDRESS TTL CHANGED-POD OLD NEW EDIT...
    local file=$1 peer=$2 ttl=$3 pod=$4 old=$5 new=$6
    shift 6
    local name
    name=$(basename "$file" .pnet)
    echo "== $name"
    "$PODNETC" apply --verify "$file" > "$work/out" || { cat "$work/out"; fail "$name: apply"; }
    grep -q '^Applied ' "$work/out" || fail "$name: no summary: $(cat "$work/out")"
    grep -q '^Connectivity verified: ' "$work/out" || fail "$name: not verified: $(cat "$work/out")"
    local pods=0 ns
    for ns in $(pod_namespaces); do
        loopback_works "$ns"
        pods=$((pods + 1))
    done
    [ "$pods" -gt 0 ] || fail "$name: no pod namespace in the registry"
    ping_ttl pod-1 "$peer" "$ttl"
    "$PODNETC" plan "$file" --detailed-exitcode > /dev/null || fail "$name: the plan after apply is not empty"

    sed "$@" "$file" > "$work/$name-changed.pnet"
    plan_only_touches "$work/$name-changed.pnet" "$pod" "$old" "$new"
    "$PODNETC" apply "$work/$name-changed.pnet" > /dev/null || fail "$name: apply of the changed file"
    ping_ttl pod-1 "$new" "$ttl"
    "$PODNETC" plan "$work/$name-changed.pnet" --detailed-exitcode > /dev/null ||
        fail "$name: the plan after the change is not empty"

    "$PODNETC" destroy --yes "$work/$name-changed.pnet" > /dev/null || fail "$name: destroy"
    nothing_owned "$name"
    foreign_dump "$work/foreign.after"
    cmp -s "$work/foreign.before" "$work/foreign.after" || {
        diff -u "$work/foreign.before" "$work/foreign.after" >&2
        fail "$name: foreign objects changed"
    }
}

check_example "$examples/bridge.pnet" 10.10.1.11 64 pod-2 10.10.1.11 10.10.1.21 \
    -e 's|address 10.10.1.11/32|address 10.10.1.21/32|'
check_example "$examples/route.pnet" 10.10.1.11 63 pod-2 10.10.1.11 10.10.1.21 \
    -e 's|address 10.10.1.11 |address 10.10.1.21 |'
check_example "$examples/mesh.pnet" 10.10.1.11 64 pod-2 10.10.1.11 10.10.1.21 \
    -e 's|address 10.10.1.11$|address 10.10.1.21|'
check_example "$examples/node-110.pnet" 10.244.1.11 63 pod-110 10.244.1.119 10.244.1.200 \
    -e 's|for i in 1..110 {|for i in 1..109 {|' -e '$a pod pod-110 on pods address 10.244.1.200'

echo "== a route network that is not the pods' default route"
cat > "$work/route-secondary.pnet" <<'PNET'
network web mode bridge subnet 10.20.0.0/24 gateway 10.20.0.1
network pods mode route subnet 10.10.1.0/24
pod pod-1 {
  eth0 on web address 10.20.0.10 default-route host-veth web1
  eth1 on pods address 10.10.1.10 host-veth veth1
}
pod pod-2 {
  eth0 on web address 10.20.0.11 default-route host-veth web2
  eth1 on pods address 10.10.1.11 host-veth veth2
}
PNET
"$PODNETC" apply --verify "$work/route-secondary.pnet" > /dev/null || fail "route-secondary: apply"
# Exactly what route mode needs without a default route: a permanent ARP entry for
# the gateway with the host veth's pinned MAC, the subnet via the gateway onlink,
# proxy_delay 0 on the host veth (so no proxy delay on the first packet).
shows "lladdr ee:ee:ee:ee:ee:ee PERMANENT" ip -n pod-1 neigh show 169.254.1.1 dev eth1 ||
    fail "route-secondary: no permanent neighbour for the gateway: $(ip -n pod-1 neigh show dev eth1)"
shows "via 169.254.1.1 dev eth1 .*onlink" ip -n pod-1 route show 10.10.1.0/24 ||
    fail "route-secondary: no subnet route via the gateway: $(ip -n pod-1 route)"
shows "via 10.20.0.1 dev eth0" ip -n pod-1 route show default || fail "route-secondary: default route"
shows "link/ether ee:ee:ee:ee:ee:ee" ip link show veth1 || fail "route-secondary: host veth MAC not pinned"
shows " proxy_delay 0 " ip ntable show name arp_cache dev veth1 ||
    fail "route-secondary: proxy_delay: $(ip ntable show name arp_cache dev veth1)"
ping_ttl pod-1 10.10.1.11 63
ping_ttl pod-1 10.20.0.11 64
"$PODNETC" destroy --yes "$work/route-secondary.pnet" > /dev/null || fail "route-secondary: destroy"
nothing_owned "route-secondary"

echo "== adopted namespaces keep their lo as it is"
ip netns add pod-1  # as `ip netns add` leaves it: lo down
sed 's|^pod pod-1 on|pod pod-1 adopt on|' "$examples/route.pnet" > "$work/route-adopt.pnet"
grep -q '^pod pod-1 adopt on' "$work/route-adopt.pnet" || fail "route-adopt: the sed did not apply"
"$PODNETC" apply --verify "$work/route-adopt.pnet" > /dev/null || fail "route-adopt: apply"
shows '[<,]UP[,>]' ip -n pod-1 link show lo && fail "route-adopt: the adopted pod-1's lo was brought up"
loopback_works pod-2  # created by podnetc
"$PODNETC" plan "$work/route-adopt.pnet" --detailed-exitcode > /dev/null || fail "route-adopt: lo down is planned as a change"
"$PODNETC" destroy --yes "$work/route-adopt.pnet" > /dev/null || fail "route-adopt: destroy"
nothing_owned "route-adopt"

echo "apply-examples: all passed"
