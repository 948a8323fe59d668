#!/bin/bash
# A stop signal during a transaction (inside tools/sandbox). The apply is held by
# PODNETC_TEST_PAUSE_BEFORE_SEND after its journal is written, the test sends the
# signal, then lets it go: the transaction runs to its end, the normal output is
# printed, one line on stderr says a signal arrived, and the exit status is the
# outcome's (0 applied, 3 rolled back), not 128+signal.
set -euo pipefail
source "$(dirname "$0")/lib/apply_lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
state_dir=${PODNETC_STATE_DIR:-/run/podnetc}

# signalled SIGNAL EXPECTED_STATUS COMMAND FILE [ENV...]: runs `podnetc COMMAND FILE`
# held before its first send, sends SIGNAL, lets it go; its output in $work/out, $work/err.
signalled() {
    local signal=$1 expected=$2 command=$3 file=$4 pid status=0
    shift 4
    rm -f "$work/go" "$work/go.waiting"
    env "$@" PODNETC_TEST_PAUSE_BEFORE_SEND="$work/go" "$PODNETC_SWITCHED" $(unattended "$command") "$file" > "$work/out" 2> "$work/err" &
    pid=$!
    for _ in $(seq 300); do [ -e "$work/go.waiting" ] && break; sleep 0.05; done
    [ -e "$work/go.waiting" ] || fail "$command did not pause"
    kill -s "$signal" "$pid"
    touch "$work/go"
    wait "$pid" || status=$?
    [ "$status" = "$expected" ] ||
        { cat "$work/out" "$work/err" >&2; fail "$command with $signal: exit $status, expected $expected"; }
    grep -qx "podnetc: $signal arrived during the transaction; it was finished first" "$work/err" ||
        { cat "$work/err" >&2; fail "$command with $signal: stderr does not say that $signal arrived"; }
    [ ! -e "$state_dir/journal.json" ] || fail "$command with $signal: a journal was left behind"
}

echo "== SIGTERM during an apply: applied, success line, exit 0"
signalled SIGTERM 0 apply "$examples/route.pnet"
grep -q "^Plan: " "$work/out" || fail "apply with SIGTERM: no plan line: $(cat "$work/out")"
grep -q "^Applied " "$work/out" || fail "apply with SIGTERM: no success line: $(cat "$work/out")"
"$PODNETC" plan "$examples/route.pnet" --detailed-exitcode > /dev/null || fail "apply with SIGTERM: not converged"
ping_ttl pod-1 10.10.1.11 63

echo "== SIGHUP during a failing apply: rolled back, exit 3"
sed -e 's|address 10.10.1.11 |address 10.10.1.21 |' "$examples/route.pnet" > "$work/route-changed.pnet"
snapshot "$work/before"
signalled SIGHUP 3 apply "$work/route-changed.pnet" PODNETC_TEST_FAIL_AT=1
grep -q "rolled back: .* the node is as it was before" "$work/err" || { cat "$work/err" >&2; fail "no rollback report"; }
snapshot "$work/after"
same_snapshot "$work/before" "$work/after" "a failed apply with SIGHUP"

echo "== SIGTERM during a destroy: destroyed, exit 0"
signalled SIGTERM 0 destroy "$examples/route.pnet"
grep -q "^Destroyed everything" "$work/out" || fail "destroy with SIGTERM: no success line: $(cat "$work/out")"
nothing_owned "destroy with SIGTERM"

echo "apply-signals: all passed"
