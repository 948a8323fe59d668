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
    { PODNETC_TEST_KILL_AT=$3 "$PODNETC_SWITCHED" $(unattended "$1") "$2" > /dev/null 2>&1; } 2> /dev/null || status=$?
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
"$PODNETC" destroy --yes "$examples/route.pnet" > /dev/null
"$PODNETC" apply "$examples/bridge-gateway.pnet" > /dev/null
recovered_by_recover destroy "$examples/bridge-gateway.pnet" 1 2 3 4
"$PODNETC" destroy --yes "$examples/bridge-gateway.pnet" > /dev/null || fail "destroy after the recoveries"
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
"$PODNETC" destroy --yes "$examples/bridge.pnet" > /dev/null 2> "$work/err" || { cat "$work/err" >&2; fail "destroy after a kill"; }
grep -q "recovered: " "$work/err" || fail "destroy did not recover first"
nothing_owned "crash"

# The windows of the commit and of the namespace registry (docs/APPLY.md, "Commit"):
# PODNETC_TEST_KILL_AT=verified|committed|recorded|registry:NAME.
# (The examples declare no node: their record is the single-node one.)
record="$state_dir/applied/(single-node).json"

# record_as RESULT: RESULT is a copy of the applied record ("none" when there is none).
record_as() { if [ -e "$record" ]; then cp "$record" "$1"; else echo none > "$1"; fi; }

# killed_between COMMAND FILE POINT: podnetc dies by SIGKILL at POINT, after the commit.
killed_between() {
    local status=0
    { PODNETC_TEST_KILL_AT=$3 "$PODNETC_SWITCHED" $(unattended "$1") "$2" > /dev/null 2>&1; } 2> /dev/null || status=$?
    [ "$status" = 137 ] || fail "$1 $(basename "$2") killed at $3: exit $status, expected 137 (SIGKILL)"
    killed=$((killed + 1))
}

# nothing_to_recover WHAT: no journal, and `recover` finds nothing.
nothing_to_recover() {
    [ ! -e "$state_dir/journal.json" ] || fail "$1: a journal was left (the next start would roll it back)"
    "$PODNETC" recover > "$work/out" 2> "$work/err" || { cat "$work/err" >&2; fail "$1: recover"; }
    grep -qx "Nothing to recover." "$work/out" || fail "$1: recover found something: $(cat "$work/out" "$work/err")"
}

# converged FILE WHAT: a fresh plan of FILE is empty.
converged() { "$PODNETC" plan "$1" --detailed-exitcode > /dev/null || fail "$2: not converged to $(basename "$1")"; }

echo "== the record of a clean apply of the changed file"
"$PODNETC" apply "$work/route-changed.pnet" > /dev/null
record_as "$work/record.changed"
[ -e "$record" ] || fail "no applied record at $record after an apply"
"$PODNETC" destroy --yes "$work/route-changed.pnet" > /dev/null
"$PODNETC" apply "$examples/route.pnet" > /dev/null
record_as "$work/record.route"

echo "== killed once verified, before the commit: rolled back, the record as before"
recovered_by_recover apply "$work/route-changed.pnet" verified
record_as "$work/record.now"
cmp -s "$work/record.route" "$work/record.now" || fail "killed at verified: the record changed"

echo "== killed after the commit, before the record: applied, not rolled back, the old record"
killed_between apply "$work/route-changed.pnet" committed
nothing_to_recover "killed at committed"
converged "$work/route-changed.pnet" "killed at committed"
record_as "$work/record.now"
cmp -s "$work/record.route" "$work/record.now" || fail "killed at committed: the record is not the old one"
# The next apply finds nothing to do and brings the record up to date.
"$PODNETC" apply "$work/route-changed.pnet" > "$work/out" || fail "apply after committed"
grep -q "^No changes" "$work/out" || fail "apply after committed: $(cat "$work/out")"
record_as "$work/record.now"
cmp -s "$work/record.changed" "$work/record.now" || fail "apply after committed: the record was not brought up to date"
ping_ttl pod-1 10.10.1.21 63

echo "== killed after the record: applied and recorded"
killed_between apply "$examples/route.pnet" recorded
nothing_to_recover "killed at recorded"
converged "$examples/route.pnet" "killed at recorded"
record_as "$work/record.now"
cmp -s "$work/record.route" "$work/record.now" || fail "killed at recorded: the record is not the new one"

echo "== destroy killed after the commit: destroyed; the next destroy removes the stale record"
killed_between destroy "$examples/route.pnet" committed
nothing_to_recover "destroy killed at committed"
nothing_owned "destroy killed at committed"
[ -e "$record" ] || fail "destroy killed at committed: the record is gone although it is removed after the commit"
"$PODNETC" destroy --yes "$examples/route.pnet" > "$work/out" || fail "destroy after committed"
grep -q "^Nothing to destroy" "$work/out" || fail "destroy after committed: $(cat "$work/out")"
[ ! -e "$record" ] || fail "destroy after committed: the stale record is still there"

echo "== killed between the kernel and the namespace registry"
recovered_by_recover apply "$examples/route.pnet" registry:pod-1
"$PODNETC" apply "$examples/route.pnet" > /dev/null
recovered_by_recover destroy "$examples/route.pnet" registry:pod-1
converged "$examples/route.pnet" "recovered destroy"

echo "== killed once journaled, before anything was sent"
snapshot "$work/before"
PODNETC_TEST_PAUSE_BEFORE_SEND=$work/never "$PODNETC_SWITCHED" apply "$work/route-changed.pnet" > /dev/null 2>&1 &
paused=$!
for _ in $(seq 300); do [ -e "$work/never.waiting" ] && break; sleep 0.05; done
[ -e "$work/never.waiting" ] || fail "the apply did not pause"
kill -KILL "$paused"
wait "$paused" 2> /dev/null || true
killed=$((killed + 1))
"$PODNETC" recover > /dev/null 2> "$work/err" || { cat "$work/err" >&2; fail "recover after a kill before sending"; }
snapshot "$work/after"
same_snapshot "$work/before" "$work/after" "killed before sending, then recover"
"$PODNETC" destroy --yes "$examples/route.pnet" > /dev/null
nothing_owned "commit windows"

echo "apply-crash: all passed ($killed runs killed, all recovered exactly)"
