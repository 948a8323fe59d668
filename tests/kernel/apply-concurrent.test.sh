#!/bin/bash
# One apply at a time per node (inside tools/sandbox). An apply paused by the
# test switch PODNETC_TEST_PAUSE_BEFORE_SEND holds the node lock in the middle of
# its transaction: a second apply with a short --lock-timeout gives up with exit 5
# and names the holder; one with a long timeout waits, says whom for, and runs
# after the first one, on the state the first one left. Then two applies of
# different files race freely: both succeed, one after the other, and the node
# ends up matching exactly one of the files.
set -euo pipefail
source "$(dirname "$0")/lib/apply_lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sed -e 's|address 10.10.1.11 |address 10.10.1.21 |' "$examples/route.pnet" > "$work/route-changed.pnet"

echo "== a held lock: give up after --lock-timeout, or wait"
PODNETC_TEST_PAUSE_BEFORE_SEND=$work/go "$PODNETC_SWITCHED" apply "$examples/route.pnet" > "$work/first.out" 2>&1 &
first=$!
for _ in $(seq 300); do [ -e "$work/go.waiting" ] && break; sleep 0.05; done
[ -e "$work/go.waiting" ] || fail "the first apply did not pause"

status=0
"$PODNETC" apply "$work/route-changed.pnet" --lock-timeout 0.3 > /dev/null 2> "$work/second.err" || status=$?
[ "$status" = 5 ] || { cat "$work/second.err" >&2; fail "second apply: exit $status, expected 5 (lock timeout)"; }
grep -q "gave up after .*held by pid $first (.*apply .*route.pnet)" "$work/second.err" ||
    { cat "$work/second.err" >&2; fail "the lock timeout does not name the holder"; }

"$PODNETC" apply "$work/route-changed.pnet" --lock-timeout 30 > "$work/third.out" 2> "$work/third.err" &
third=$!
for _ in $(seq 100); do grep -qs "waiting for the node lock" "$work/third.err" && break; sleep 0.05; done
grep -q "waiting for the node lock, held by pid $first" "$work/third.err" ||
    { cat "$work/third.err" >&2; fail "the waiting apply does not say whom it waits for"; }
touch "$work/go"
wait "$first" || { cat "$work/first.out" >&2; fail "the first apply failed"; }
wait "$third" || { cat "$work/third.err" >&2; fail "the waiting apply failed"; }
grep -q "^Plan: 2 to create, 0 to change, 2 to delete\.$" "$work/third.out" ||
    { cat "$work/third.out" >&2; fail "the waiting apply did not plan against the first one's result"; }
"$PODNETC" plan "$work/route-changed.pnet" --detailed-exitcode > /dev/null || fail "not converged after both"
ping_ttl pod-1 10.10.1.21 63

echo "== two applies racing freely"
"$PODNETC" destroy --yes "$examples/route.pnet" > /dev/null
for round in 1 2 3; do
    "$PODNETC" apply "$examples/route.pnet" > "$work/a.out" 2>&1 &
    a=$!
    "$PODNETC" apply "$work/route-changed.pnet" > "$work/b.out" 2>&1 &
    b=$!
    wait "$a" || { cat "$work/a.out" >&2; fail "round $round: apply of route.pnet failed"; }
    wait "$b" || { cat "$work/b.out" >&2; fail "round $round: apply of the changed file failed"; }
    matches=0
    "$PODNETC" plan "$examples/route.pnet" --detailed-exitcode > /dev/null && matches=$((matches + 1)) || true
    "$PODNETC" plan "$work/route-changed.pnet" --detailed-exitcode > /dev/null && matches=$((matches + 1)) || true
    [ "$matches" = 1 ] || fail "round $round: the node matches $matches of the two files, expected exactly one"
    [ ! -e /run/podnetc/journal.json ] || fail "round $round: a journal was left behind"
done
"$PODNETC" destroy --yes "$examples/route.pnet" > /dev/null
nothing_owned "concurrent"

echo "apply-concurrent: all passed"
