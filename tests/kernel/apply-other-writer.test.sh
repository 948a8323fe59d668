#!/bin/bash
# Another writer during an apply (docs/APPLY.md, "Another writer meanwhile"). A process
# that changes an object of the plan between podnetc's reading and its sending stops
# the apply before anything is sent in its way: the other writer's object is left as
# it made it, nothing else changes, and the message names the object (and the .pnet
# line that declares it). The test switch PODNETC_TEST_PAUSE_BEFORE_SEND holds
# podnetc after it has read, planned and journaled, so the race is deterministic.
set -euo pipefail
source "$(dirname "$0")/lib/apply_lib.sh"
work=$(mktemp -d)

foreign_setup
foreign_dump "$work/foreign.before"
"$PODNETC" apply "$examples/route.pnet" > /dev/null
# pod-2 moves from 10.10.1.11 to 10.10.1.21: its routes and address are replaced.
sed 's/10.10.1.11/10.10.1.21/' "$examples/route.pnet" > "$work/moved.pnet"

# race COMMAND…: `apply moved.pnet` paused before its first send, COMMAND run meanwhile.
race() {
    rm -f "$work/go" "$work/go.waiting"
    PODNETC_TEST_PAUSE_BEFORE_SEND=$work/go "$PODNETC_SWITCHED" apply "$work/moved.pnet" > "$work/out" 2> "$work/err" &
    local pid=$!
    for _ in $(seq 300); do [ -e "$work/go.waiting" ] && break; sleep 0.05; done
    [ -e "$work/go.waiting" ] || fail "podnetc did not pause before sending"
    "$@"
    touch "$work/go"
    status=0
    wait "$pid" || status=$?
}

echo "== another process adds a route the plan creates"
snapshot "$work/before"
race ip route add 10.10.1.21/32 dev veth2 proto static
[ "$status" = 3 ] || { cat "$work/err" >&2; fail "apply racing another writer: exit $status, expected 3 (rolled back)"; }
shows "moved.pnet:9:.*error: another process (netlink port [0-9]*) added or changed route 10.10.1.21/32 in host while the plan was applied" \
    cat "$work/err" || { cat "$work/err" >&2; fail "the message does not name the route, the other process and moved.pnet:9"; }
shows "proto static" ip route show 10.10.1.21/32 || fail "the other writer's route was not left as it made it"
ip route del 10.10.1.21/32 dev veth2
snapshot "$work/after"
same_snapshot "$work/before" "$work/after" "another writer's route"

echo "== another process replaces a route the plan deletes"
race ip route replace 10.10.1.11/32 dev veth2 proto static
[ "$status" = 3 ] || { cat "$work/err" >&2; fail "apply racing a replaced route: exit $status, expected 3"; }
shows "another process (netlink port [0-9]*) added or changed route 10.10.1.11/32 in host" cat "$work/err" ||
    { cat "$work/err" >&2; fail "the message does not name the replaced route"; }
shows "proto static" ip route show 10.10.1.11/32 || fail "podnetc deleted the other writer's route"
ip route replace 10.10.1.11/32 dev veth2 scope link proto 176

echo "== a change elsewhere in the same namespace does not stop it"
race ip route add 203.0.113.0/24 dev vf0
[ "$status" = 0 ] || { cat "$work/err" >&2; fail "an unrelated route stopped the apply: exit $status"; }
ip route del 203.0.113.0/24 dev vf0
"$PODNETC" plan "$work/moved.pnet" --detailed-exitcode > /dev/null || fail "plan after the apply is not empty"

"$PODNETC" destroy --yes "$work/moved.pnet" > /dev/null
nothing_owned "after destroy"
foreign_dump "$work/foreign.after"
cmp -s "$work/foreign.before" "$work/foreign.after" || fail "foreign objects changed"
echo "apply-other-writer: ok"
