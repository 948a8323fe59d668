#!/bin/bash
# A foreign interface whose name is not UTF-8 (legal for the kernel) used to wedge
# the node (inside tools/sandbox): `show --json` wrote JSON podnetc's own reader
# refused, and after a killed apply the journal could not be read, so recover, apply
# and destroy all failed until someone deleted journal.json by hand. Now every
# podnetc file carries such names losslessly (compiler/json/json_bytes.hpp).
set -euo pipefail
source "$(dirname "$0")/lib/apply_lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ip link add $'v\xff' type veth peer name $'w\xfe'
ip link set $'v\xff' up
cp "$examples/route.pnet" "$work/route.pnet"
"$PODNETC" show --json > "$work/snapshot.json" || fail "show --json"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/snapshot.json" || fail "show --json is not JSON"
"$PODNETC" plan "$work/route.pnet" --state-from "$work/snapshot.json" > /dev/null ||
    fail "podnetc cannot read its own snapshot of a node with a non-UTF-8 name"
"$PODNETC" show --json > "$work/again.json"
cmp -s "$work/snapshot.json" "$work/again.json" || fail "the snapshot is not stable"

status=0
PODNETC_TEST_KILL_AT=3 "$PODNETC_SWITCHED" apply "$work/route.pnet" > /dev/null 2>&1 || status=$?
[ "$status" = 137 ] || fail "the apply was not killed (exit $status)"
"$PODNETC" recover > "$work/recover.txt" 2>&1 || fail "recover after a killed apply: $(cat "$work/recover.txt")"
"$PODNETC" apply "$work/route.pnet" > /dev/null || fail "apply"
"$PODNETC" plan "$work/route.pnet" --detailed-exitcode > /dev/null || fail "plan after apply is not empty"
"$PODNETC" destroy --yes "$work/route.pnet" > /dev/null || fail "destroy"
ip link show $'v\xff' > /dev/null || fail "the foreign interface is gone"
ip link show $'w\xfe' > /dev/null || fail "its peer is gone"
nothing_owned "after destroy"
echo "foreign-names: ok"
