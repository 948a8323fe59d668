#!/bin/bash
# Objects the kernel or another tool wrote again at podnetc's keys (inside
# tools/sandbox), each of which used to block every later apply:
#   - the pod's gateway neighbour deleted, then re-learned by traffic through proxy
#     ARP as a dynamic entry: `add neighbor` failed with EEXIST on every apply;
#   - the pod's default route and address rewritten by hand with the same values
#     (`ip route replace`, `ip addr replace`): podnetc's marker is lost, and they were
#     conflicts ("exists and was not created by podnetc").
# Now each is drift that one apply repairs; a foreign route added meanwhile stays.
set -euo pipefail
source "$(dirname "$0")/lib/apply_lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp "$examples/route.pnet" "$work/route.pnet"
"$PODNETC" apply "$work/route.pnet" > /dev/null || fail "apply"

# 1. A learned gateway entry where the permanent one was. Proxy ARP answers for
# 169.254.1.1 only when the host routes it out of another interface, as a node's
# default route does: a foreign veth inside the sandbox plays that part.
ip link add uplink0 type veth peer name uplink1
ip link set uplink0 up && ip link set uplink1 up
ip route add default dev uplink0
ip -n pod-1 neigh del 169.254.1.1 dev eth0
ping_ttl pod-1 10.10.1.11 63
shows -v PERMANENT ip -n pod-1 neigh show 169.254.1.1 dev eth0 || fail "the gateway was not re-learned"
shows . ip -n pod-1 neigh show 169.254.1.1 dev eth0 || fail "no learned gateway entry"
# An unrelated change of the file rides along: it used to fail on the neighbour.
sed -i 's/^pod pod-2 .*/&\npod pod-3 on pods address 10.10.1.12 host-veth veth3/' "$work/route.pnet"
"$PODNETC" apply "$work/route.pnet" > "$work/apply1.txt" 2>&1 || fail "apply over a learned entry: $(cat "$work/apply1.txt")"
shows "PERMANENT proto 176" ip -n pod-1 neigh show 169.254.1.1 dev eth0 || fail "the gateway entry is not podnetc's again"
"$PODNETC" plan "$work/route.pnet" --detailed-exitcode > /dev/null || fail "plan after the repair is not empty"

# 2. Rewritten by hand with podnetc's own values, plus a foreign route meanwhile.
ip -n pod-1 route replace default via 169.254.1.1 dev eth0
ip -n pod-1 addr replace 10.10.1.10/32 dev eth0
# (a neighbour replace keeps the entry's protocol: delete and add loses it)
ip -n pod-2 neigh del 169.254.1.1 dev eth0
ip -n pod-2 neigh add 169.254.1.1 dev eth0 lladdr ee:ee:ee:ee:ee:ee nud permanent
ip -n pod-1 route add 192.0.2.0/24 via 169.254.1.1 dev eth0 onlink
ip -n pod-1 route show 192.0.2.0/24 > "$work/foreign.before"
status=0
"$PODNETC" plan "$work/route.pnet" --json --detailed-exitcode > "$work/plan.json" || status=$?
[ "$status" = 2 ] || fail "plan of rewritten objects exited $status, expected 2 (changes): $(cat "$work/plan.json")"
python3 - "$work/plan.json" <<'PY' || fail "rewritten objects are drift"
import json, sys
plan = json.load(open(sys.argv[1]))
assert not plan.get("conflicts"), plan.get("conflicts")
ops = plan["ops"]
print("\n".join(f'{op["step"]["kind"]}: {op["detail"]}' for op in ops))
assert {op["reason"] for op in ops} == {"drift"}, [op["reason"] for op in ops]
assert sorted(op["step"]["kind"] for op in ops) == ["replace_address", "replace_neighbor", "replace_route"], ops
assert all("rewritten by another tool" in op["detail"] for op in ops)
PY
"$PODNETC" apply "$work/route.pnet" > /dev/null || fail "apply re-marks"
"$PODNETC" plan "$work/route.pnet" --detailed-exitcode > /dev/null || fail "plan after re-marking is not empty"
shows "proto 176" ip -n pod-1 route show default || fail "default route not re-marked"
ip -n pod-1 route show 192.0.2.0/24 | diff - "$work/foreign.before" || fail "the foreign route changed"
ping_ttl pod-1 10.10.1.12 63

# The foreign route lives in pod-1's namespace: destroy refuses to take it along.
! "$PODNETC" destroy --yes "$work/route.pnet" > "$work/destroy.txt" 2>&1 || fail "destroy deleted a foreign route"
grep -q "foreign route 192.0.2.0/24" "$work/destroy.txt" || fail "destroy refused without naming the route: $(cat "$work/destroy.txt")"
ip -n pod-1 route del 192.0.2.0/24
"$PODNETC" destroy --yes "$work/route.pnet" > /dev/null || fail "destroy"
ip link show uplink0 > /dev/null || fail "destroy removed the foreign uplink"
nothing_owned
echo "rewritten: ok"
