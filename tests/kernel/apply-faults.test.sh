#!/bin/bash
# Rollback against the real kernel (inside tools/sandbox). PODNETC_TEST_FAIL_AT=k
# makes operation k fail in the kernel (its request fails the attribute policy
# check, while the later requests of the same sendmsg still go through); for every
# k of route.pnet and bridge.pnet (from nothing, and a change of an applied file),
# every k of a destroy (also of adopted namespaces that `ip netns add` made, whose
# lo is down: re-created, they get it back down, without the 127.0.0.1/8 or the
# qdisc an up lo would leave), and 60 evenly spread k of node-110.pnet, apply must exit 3
# and leave the node exactly as before (podnetc show --json and ip -j of every
# namespace, normalized). Then real refusals: a saved plan whose node changed, a
# device created between podnetc's reading and its sending. A neighbour entry the
# plan cannot see (learned) is replaced. The switches only work in
# podnetc-test-switches ($PODNETC_SWITCHED); the product ignores them.
#
#   apply-faults.test.sh [PART COUNT]   e.g. 2 3: the second of three parts
# Part 1 runs everything but the 60 k of node-110.pnet, which parts 2..COUNT share
# (every (COUNT-1)-th k each); alone (1 1) it runs them all. ctest runs the parts as
# separate tests (tests/CMakeLists.txt) so that they share the cores.
set -euo pipefail
part=${1:-1} parts=${2:-1}
source "$(dirname "$0")/lib/apply_lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
injected=0

# every_k COMMAND FILE K...: each k fails, exit 3, the node as before.
every_k() {
    local command=$1 file=$2
    shift 2
    snapshot "$work/before"
    for k in "$@"; do
        local status=0
        PODNETC_TEST_FAIL_AT=$k "$PODNETC_SWITCHED" $(unattended "$command") "$file" > "$work/out" 2> "$work/err" || status=$?
        [ "$status" = 3 ] || { cat "$work/out" "$work/err" >&2; fail "$command $(basename "$file") k=$k: exit $status, expected 3"; }
        grep -q "rolled back: .* the node is as it was before" "$work/err" ||
            { cat "$work/err" >&2; fail "$command $(basename "$file") k=$k: no rollback report"; }
        snapshot "$work/after"
        same_snapshot "$work/before" "$work/after" "$command $(basename "$file") k=$k"
        injected=$((injected + 1))
    done
}

all_k() {  # COMMAND FILE
    local n
    if [ "$1" = destroy ]; then
        # The destroy plan's length, from its summary line (a failed first operation
        # changes nothing).
        n=$(PODNETC_TEST_FAIL_AT=1 "$PODNETC_SWITCHED" destroy --yes "$2" 2> /dev/null | sed -n 's/^Plan: .* \([0-9]*\) to delete\.$/\1/p' || true)
    else
        n=$(op_count "$2")
    fi
    [ "${n:-0}" -gt 0 ] || fail "no operations for $1 $2"
    every_k "$1" "$2" $(seq 1 "$n")
}

if [ "$part" = 1 ]; then
    echo "== from nothing: route.pnet, bridge.pnet"
    all_k apply "$examples/route.pnet"
    all_k apply "$examples/bridge.pnet"

    echo "== a change: route.pnet with pod-2 moved and pod-3 added"
    "$PODNETC" apply "$examples/route.pnet" > /dev/null
    sed -e 's|address 10.10.1.11 |address 10.10.1.21 |' -e '$a pod pod-3 on pods address 10.10.1.12 host-veth veth3' \
        "$examples/route.pnet" > "$work/route-changed.pnet"
    all_k apply "$work/route-changed.pnet"
    "$PODNETC" destroy --yes "$examples/route.pnet" > /dev/null

    echo "== destroy: bridge-gateway.pnet"
    "$PODNETC" apply "$examples/bridge-gateway.pnet" > /dev/null
    all_k destroy "$examples/bridge-gateway.pnet"
    "$PODNETC" destroy --yes "$examples/bridge-gateway.pnet" > /dev/null
    nothing_owned "destroy bridge-gateway"

    echo "== destroy: adopted namespaces made by ip netns add (lo down)"
    ip netns add pod-1
    ip netns add pod-2
    sed 's|^pod \(pod-[0-9]\) on|pod \1 adopt on|' "$examples/route.pnet" > "$work/route-adopt.pnet"
    [ "$(grep -c ' adopt on ' "$work/route-adopt.pnet")" = 2 ] || fail "route-adopt: the sed did not apply"
    "$PODNETC" apply "$work/route-adopt.pnet" > /dev/null
    shows '[<,]UP[,>]' ip -n pod-1 link show lo && fail "route-adopt: the adopted pod-1's lo was brought up"
    all_k destroy "$work/route-adopt.pnet"
    "$PODNETC" destroy --yes "$work/route-adopt.pnet" > /dev/null
    nothing_owned "destroy route-adopt"
fi

if [ "$parts" = 1 ] || [ "$part" -gt 1 ]; then
    echo "== node-110.pnet: 60 operations spread over the plan (part $part of $parts)"
    n=$(op_count "$examples/node-110.pnet")
    first=0 step=1
    [ "$parts" = 1 ] || first=$((part - 2)) step=$((parts - 1))
    every_k apply "$examples/node-110.pnet" $(python3 -c "n=$n; print(' '.join(str(round(i * (n - 1) / 59) + 1) for i in range($first, 60, $step)))")
fi

if [ "$part" = 1 ]; then
    echo "== a plan with conflicts is refused before anything is sent"
    ip route add 10.10.1.10/32 dev lo
    snapshot "$work/before"
    status=0
    "$PODNETC" apply "$examples/route.pnet" > /dev/null 2> "$work/err" || status=$?
    [ "$status" = 1 ] || { cat "$work/err" >&2; fail "apply with a conflict: exit $status, expected 1"; }
    grep -q "route.pnet:8:.*error: route 10.10.1.10/32 .*not created by podnetc" "$work/err" ||
        { cat "$work/err" >&2; fail "the conflict is not a diagnostic at route.pnet:8"; }
    grep -q "the plan has conflicts; nothing was changed" "$work/err" || fail "no word that nothing changed"
    snapshot "$work/after"
    same_snapshot "$work/before" "$work/after" "conflict refused"
    [ ! -e /run/podnetc/journal.json ] || fail "a refused plan left a journal"
    ip route del 10.10.1.10/32 dev lo

    echo "== a saved plan is refused when the node changed since"
    "$PODNETC" plan "$examples/route.pnet" --out "$work/route.plan" > /dev/null
    ip link add veth2 type veth peer name veth2-peer
    snapshot "$work/before"
    status=0
    "$PODNETC" apply --plan "$work/route.plan" > /dev/null 2> "$work/err" || status=$?
    [ "$status" = 1 ] || fail "apply --plan after a change: exit $status, expected 1"
    grep -q "the node changed since .* was made" "$work/err" || { cat "$work/err" >&2; fail "apply --plan: no reason given"; }
    snapshot "$work/after"
    same_snapshot "$work/before" "$work/after" "apply --plan refused"
    ip link del veth2

    echo "== a saved plan is applied when only foreign objects it does not read changed"
    "$PODNETC" plan "$examples/route.pnet" --out "$work/route.plan" > /dev/null
    ip link add tmp0 type veth peer name tmp1   # another tool's interfaces, not in the file
    ip link set tmp0 up
    ip route add 192.0.2.0/24 dev tmp0
    "$PODNETC" apply --plan "$work/route.plan" > /dev/null 2> "$work/err" ||
        { cat "$work/err" >&2; fail "apply --plan refused over a foreign interface it does not read"; }
    shows "dev tmp0" ip route show 192.0.2.0/24 || fail "the foreign route changed"
    ip link del tmp0
    "$PODNETC" plan "$examples/route.pnet" --detailed-exitcode > /dev/null || fail "apply --plan did not converge"
    "$PODNETC" destroy --yes "$examples/route.pnet" > /dev/null

    echo "== a saved plan of an unchanged node is applied"
    "$PODNETC" plan "$examples/route.pnet" --out "$work/route.plan" > /dev/null
    "$PODNETC" apply --plan "$work/route.plan" > /dev/null || fail "apply --plan of an unchanged node"
    "$PODNETC" plan "$examples/route.pnet" --detailed-exitcode > /dev/null || fail "apply --plan did not converge"
    "$PODNETC" destroy --yes "$examples/route.pnet" > /dev/null

    echo "== a device appears between podnetc's reading and its sending"
    snapshot "$work/before"
    status=0
    PODNETC_TEST_PAUSE_BEFORE_SEND=$work/go "$PODNETC_SWITCHED" apply "$examples/route.pnet" > /dev/null 2> "$work/err" &
    pid=$!
    for _ in $(seq 300); do [ -e "$work/go.waiting" ] && break; sleep 0.05; done
    [ -e "$work/go.waiting" ] || fail "podnetc did not pause before sending"
    ip link add veth2 type veth peer name veth2-peer
    touch "$work/go"
    wait "$pid" || status=$?
    [ "$status" = 3 ] || { cat "$work/err" >&2; fail "apply racing a new veth2: exit $status, expected 3"; }
    grep -q "route.pnet:9:.*error: the kernel refused operation .* create link veth2 .*EEXIST" "$work/err" ||
        { cat "$work/err" >&2; fail "the refusal does not name route.pnet:9 and EEXIST"; }
    grep -q "link veth2 in host: left over" "$work/err" ||
        { cat "$work/err" >&2; fail "the hand-made veth2 is not reported as someone else's change"; }
    ip link del veth2
    snapshot "$work/after"
    same_snapshot "$work/before" "$work/after" "race with veth2"

    echo "== a neighbour the plan cannot see (learned, not permanent) is replaced, not refused"
    "$PODNETC" apply "$examples/route.pnet" > /dev/null
    ip -n pod-1 neigh del 169.254.1.1 dev eth0
    ip -n pod-1 neigh add 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee dev eth0 nud reachable
    "$PODNETC" apply "$examples/route.pnet" > /dev/null 2> "$work/err" || { cat "$work/err" >&2; fail "apply over a reachable neighbour"; }
    shows "PERMANENT proto 176" ip -n pod-1 neigh show 169.254.1.1 dev eth0 || fail "the learned entry was not made podnetc's"
    "$PODNETC" plan "$examples/route.pnet" --detailed-exitcode > /dev/null || fail "plan after replacing a learned entry"
    echo "== the product binary has no test switches"
    PODNETC_TEST_FAIL_AT=1 PODNETC_TEST_KILL_AT=1 "$PODNETC" destroy --yes "$examples/route.pnet" > /dev/null 2> "$work/err" ||
        { cat "$work/err" >&2; fail "podnetc obeyed a test switch"; }
    nothing_owned "faults"

    echo "== --verify: a pod the others cannot reach is rolled back"
    "$PODNETC" apply "$examples/route.pnet" > /dev/null
    ip -n pod-2 route add blackhole 10.10.1.10/32  # foreign: podnetc leaves it alone
    sed -e '$a pod pod-3 on pods address 10.10.1.12 host-veth veth3' "$examples/route.pnet" > "$work/route-3.pnet"
    snapshot "$work/before"
    status=0
    "$PODNETC" apply --verify "$work/route-3.pnet" > /dev/null 2> "$work/err" || status=$?
    [ "$status" = 3 ] || { cat "$work/err" >&2; fail "apply --verify with an unreachable pod: exit $status, expected 3"; }
    grep -q "pod-1 -> pod-2 10.10.1.11: no reply" "$work/err" || { cat "$work/err" >&2; fail "the failed probe is not named"; }
    snapshot "$work/after"
    same_snapshot "$work/before" "$work/after" "--verify rollback"
    ip -n pod-2 route del blackhole 10.10.1.10/32
    "$PODNETC" destroy --yes "$examples/route.pnet" > /dev/null
    nothing_owned "verify"
fi

echo "apply-faults part $part of $parts: all passed ($injected injected failures, all rolled back exactly)"
