#!/bin/bash
# Drift against the real kernel (inside tools/sandbox): after `podnetc apply`
# wrote its record, objects changed by hand (a pod route deleted, proxy_arp
# switched off, a host veth set down) are reported as drift, apart from changes
# in the file, and exit 2 with --detailed-exitcode; apply repairs exactly those
# and the node plans empty again. A change in the file at the same time is a
# change, not drift.
set -euo pipefail
source "$(dirname "$0")/lib/apply_lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp "$examples/route.pnet" "$work/route.pnet"
"$PODNETC" apply "$work/route.pnet" > /dev/null || fail "apply"
"$PODNETC" plan "$work/route.pnet" --detailed-exitcode > /dev/null || fail "a fresh apply must plan empty"

ip -n pod-1 route del default
echo 0 > /proc/sys/net/ipv4/conf/veth2/proxy_arp
ip link set veth1 down   # the kernel also drops the host route through veth1

status=0
"$PODNETC" plan "$work/route.pnet" --detailed-exitcode > "$work/plan.txt" || status=$?
[ "$status" = 2 ] || fail "plan after drift exited $status, expected 2: $(cat "$work/plan.txt")"
"$PODNETC" plan "$work/route.pnet" --json > "$work/plan.json"
python3 - "$work/plan.json" <<'PY' || fail "plan JSON: $(cat "$work/plan.txt")"
import json, sys
plan = json.load(open(sys.argv[1]))
reasons = {op["reason"] for op in plan["ops"]}
assert reasons == {"drift"}, f"every op is a drift repair, got {reasons}"
details = sorted(op["detail"] for op in plan["ops"])
print("\n".join(details))
assert any("proxy_arp off -> on" in d for d in details), details
assert any("down -> up" in d for d in details), details
assert sum(1 for op in plan["ops"] if op["step"]["kind"] == "add_route") == 2, "pod-1 default + host /32 via veth1"
PY
grep -q "^Drift: objects changed outside podnetc since the last apply" "$work/plan.txt" || fail "no drift section"

# The file changes too (pod-2's address): that op is a change, the rest stays drift.
sed -i 's/10\.10\.1\.11/10.10.1.21/' "$work/route.pnet"
"$PODNETC" plan "$work/route.pnet" --json > "$work/both.json"
python3 - "$work/both.json" <<'PY' || fail "drift and a file change apart"
import json, sys
ops = json.load(open(sys.argv[1]))["ops"]
drift = [op for op in ops if op["reason"] == "drift"]
changes = [op for op in ops if op["reason"] != "drift"]
assert len(drift) == 4, [op["detail"] for op in drift]
assert changes and all(op["pod"] == "pod-2" for op in changes), [(op["pod"], op["reason"]) for op in changes]
PY

"$PODNETC" apply "$work/route.pnet" > /dev/null || fail "apply repairs"
"$PODNETC" plan "$work/route.pnet" --detailed-exitcode > /dev/null || fail "plan after the repair is not empty"
ping_ttl pod-1 10.10.1.21 63
"$PODNETC" destroy --yes "$work/route.pnet" > /dev/null || fail "destroy"
nothing_owned
echo "drift: ok"
