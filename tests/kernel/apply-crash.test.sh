#!/bin/bash
# Crash recovery against the real kernel (inside tools/sandbox):
# PODNETC_TEST_KILL_AT=k kills podnetc with SIGKILL right after the sendmsg that
# carried operation k, before its acks are read. The journal it leaves must let
# `podnetc recover` (and, separately, the next `podnetc apply`) restore the node
# exactly, after which an apply goes through cleanly.
set -euo pipefail
source "$(dirname "$0")/lib/apply_lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
state_dir=${PODNETC_STATE_DIR:-/run/podnetc}
killed=0

# killed_at COMMAND FILE K: podnetc dies by SIGKILL and leaves its journal.
killed_at() {
    local status=0
    # (The braces keep bash's own "Killed" notice out of the output.)
    { PODNETC_TEST_KILL_AT=$3 "$PODNETC" "$1" "$2" > /dev/null 2>&1; } 2> /dev/null || status=$?
    [ "$status" = 137 ] || fail "$1 $(basename "$2") killed at $3: exit $status, expected 137 (SIGKILL)"
    [ -e "$state_dir/journal.json" ] || fail "$1 $(basename "$2") killed at $3: no journal left"
    killed=$((killed + 1))
}

# recovered_by_recover COMMAND FILE K...: for each k, kill, `podnetc recover`, as before.
recovered_by_recover() {
    local command=$1 file=$2
    shift 2
    snapshot "$work/before"
    for k in "$@"; do
        killed_at "$command" "$file" "$k"
        "$PODNETC" recover > "$work/out" 2> "$work/err" || { cat "$work/err" >&2; fail "recover after k=$k"; }
        grep -q "recovered: .* the node is as it was before" "$work/err" ||
            { cat "$work/err" >&2; fail "recover after k=$k: no report"; }
        [ ! -e "$state_dir/journal.json" ] || fail "recover after k=$k: the journal is still there"
        snapshot "$work/after"
        same_snapshot "$work/before" "$work/after" "$command $(basename "$file") killed at $k, then recover"
    done
}

echo "== nothing to recover"
"$PODNETC" recover > "$work/out" || fail "recover without a journal"
grep -qx "Nothing to recover." "$work/out" || fail "recover without a journal: $(cat "$work/out")"

echo "== route.pnet from nothing, killed after every operation, recover"
recovered_by_recover apply "$examples/route.pnet" $(seq 1 "$(op_count "$examples/route.pnet")")
"$PODNETC" apply "$examples/route.pnet" > /dev/null || fail "apply after the recoveries"
ping_ttl pod-1 10.10.1.11 63

echo "== a change of route.pnet, killed at several points, recover"
sed -e 's|address 10.10.1.11 |address 10.10.1.21 |' -e '$a pod pod-3 on pods address 10.10.1.12 host-veth veth3' \
    "$examples/route.pnet" > "$work/route-changed.pnet"
n=$(op_count "$work/route-changed.pnet")
recovered_by_recover apply "$work/route-changed.pnet" 1 2 $((n / 2)) $((n - 1)) "$n"

echo "== destroy of bridge-gateway.pnet killed, recover"
"$PODNETC" destroy "$examples/route.pnet" > /dev/null
"$PODNETC" apply "$examples/bridge-gateway.pnet" > /dev/null
recovered_by_recover destroy "$examples/bridge-gateway.pnet" 1 2 3 4
"$PODNETC" destroy "$examples/bridge-gateway.pnet" > /dev/null || fail "destroy after the recoveries"
nothing_owned "destroy after recovery"

echo "== node-110.pnet killed at 5 points, recover"
n=$(op_count "$examples/node-110.pnet")
recovered_by_recover apply "$examples/node-110.pnet" 1 $((n / 4)) $((n / 2)) $((3 * n / 4)) "$n"

echo "== the next apply recovers first, then applies"
snapshot "$work/before"
killed_at apply "$examples/bridge.pnet" 7
"$PODNETC" apply "$examples/bridge.pnet" > "$work/out" 2> "$work/err" || { cat "$work/err" >&2; fail "apply after a kill"; }
grep -q "an earlier run was interrupted" "$work/err" || { cat "$work/err" >&2; fail "apply did not say it recovered"; }
grep -q "recovered: .* the node is as it was before" "$work/err" || { cat "$work/err" >&2; fail "apply: recovery report"; }
grep -q "^Applied " "$work/out" || fail "apply after recovery: $(cat "$work/out")"
ping_ttl pod-1 10.10.1.11 64
"$PODNETC" plan "$examples/bridge.pnet" --detailed-exitcode > /dev/null || fail "not converged after recovery + apply"

echo "== the next destroy recovers first too"
killed_at destroy "$examples/bridge.pnet" 1
"$PODNETC" destroy "$examples/bridge.pnet" > /dev/null 2> "$work/err" || { cat "$work/err" >&2; fail "destroy after a kill"; }
grep -q "recovered: " "$work/err" || fail "destroy did not recover first"
nothing_owned "crash"

echo "apply-crash: all passed ($killed runs killed, all recovered exactly)"
