#!/bin/bash
# `podnetc agent` against bad commits and hard stops (inside tools/sandbox):
#   - a 20-pod start converges and the pods reach each other;
#   - a commit that deletes 80% of the pods is refused as a whole, reported, and
#     nothing is deleted; the fixing commit converges;
#   - 1,000 rapid writes of the file make a small, bounded number of applies and
#     end at the last write;
#   - SIGTERM while a transaction is in flight: it completes, then exit 0;
#   - SIGKILL while a transaction is in flight: the next start undoes it and converges.
set -euo pipefail
source "$(dirname "$0")/lib/apply_lib.sh"
source "$(dirname "$0")/lib/agent_lib.sh"

file=$work/node.pnet
"$PODNETC_SOURCE_DIR/tools/gen-pods" 20 > "$file"
start_agent "$file"
[ "$(pod_namespaces | wc -l)" = 20 ] || fail "the 20-pod start did not create 20 pods"
ip netns exec pod-1 ping -c1 -W2 10.64.0.21 > /dev/null || fail "pod-1 does not reach pod-20"
"$PODNETC" plan "$file" --detailed-exitcode > /dev/null || fail "the plan after the start is not empty"

# --- a bad commit: 16 of 20 pods gone
cp "$file" "$work/node.good"
"$PODNETC_SOURCE_DIR/tools/gen-pods" 4 > "$work/node.bad"
cp "$work/node.bad" "$file"
wait_for 5 "the 80% deletion is refused" logged '"event": "refused"'
logged 'deletes 16 of 20 owned pods' || fail "the refusal does not say how many: $(grep refused "$work/agent.log")"
logged 'max-delete' || fail "the refusal does not name the flag"
[ "$(pod_namespaces | wc -l)" = 20 ] || fail "a refused plan deleted pods"
[ "$(metric 'podnetc_cycles_total{result="refused"}')" -ge 1 ] || fail "the refusal is not counted"
[ "$(metric podnetc_pending_changes)" -gt 0 ] || fail "the refused changes are not pending in the metrics"
cp "$work/node.good" "$file"
wait_for 5 "the fixing commit converges" sh -c "curl -sf http://127.0.0.1:$port/readyz | grep -q converged"

# --- 1,000 rapid writes in place: pod-20's address changes each time; the last one
# wins, and no half-written file is ever applied (it would often be a valid file
# with fewer pods)
applies_before=$(metric 'podnetc_applies_total{result="committed"}')
refusals_before=$(grep -c '"event": "refused"' "$work/agent.log")
for i in $(seq 1000); do
    sed "s/10\.64\.0\.21\$/10.64.0.$(( 100 + i % 150 ))/" "$work/node.good" > "$file"
done
last="10.64.0.200"
wait_for 10 "the last of 1,000 writes is applied" sh -c "ip -n pod-20 addr show eth0 | grep -q ' $last/'"
sleep 1
applies=$(( $(metric 'podnetc_applies_total{result="committed"}') - applies_before ))
echo "agent: 1,000 writes made $applies applies"
[ "$(pod_namespaces | wc -l)" = 20 ] || fail "a half-written file was applied: $(pod_namespaces | wc -l) pods"
[ "$(grep -c '"event": "refused"' "$work/agent.log")" = "$refusals_before" ] ||
    fail "a half-written file was planned (refused as a deletion; $refusals_before before): $(grep -a -n '"refused"\|"superseded"\|"compile_error"' "$work/agent.log" | cut -c1-300)"
[ "$applies" -ge 1 ] && [ "$applies" -le 6 ] || fail "1,000 writes made $applies applies"
stop_agent

# --- SIGTERM in the middle of a transaction: it is finished first, then exit 0
cp "$work/node.good" "$file"
echo "pod pod-21 on pods address 10.64.0.30" >> "$file"
export PODNETC_TEST_PAUSE_BEFORE_SEND=$work/go
start_agent --binary "$PODNETC_SWITCHED" --no-wait "$file"
wait_for 10 "the agent's transaction pauses before sending" test -e "$work/go.waiting"
kill -TERM "$agent_pid"
sleep 0.3
touch "$work/go"
status=0
wait "$agent_pid" || status=$?
agent_pid=""
[ "$status" = 0 ] || fail "the agent exited $status after SIGTERM during a transaction"
logged 'arrived during the transaction, which was finished first' || fail "SIGTERM was not deferred: $(tail -5 "$work/agent.log")"
unset PODNETC_TEST_PAUSE_BEFORE_SEND
rm -f "$work/go" "$work/go.waiting"
shows '^pod-21' ip netns list || fail "the transaction in flight at SIGTERM was not completed"
"$PODNETC" plan "$file" --detailed-exitcode > /dev/null || fail "the node is not converged after SIGTERM"
kill "$listener_pid" 2>/dev/null || true; listener_pid=""

# --- SIGKILL in the middle of a transaction: the next start recovers, then converges
echo "pod pod-22 on pods address 10.64.0.31" >> "$file"
snapshot "$work/before-kill"
status=0
PODNETC_TEST_KILL_AT=3 "$PODNETC_SWITCHED" agent "$file" --metrics none 2> "$work/killed.log" || status=$?
[ "$status" = 137 ] || fail "the agent was not killed at operation 3 (exit $status)"
[ -e /run/podnetc/journal.json ] || fail "the killed agent left no journal: $(tail -3 "$work/killed.log")"
start_agent "$file"
logged 'an interrupted transaction was undone first' || fail "the restart did not recover the journal"
shows '^pod-22' ip netns list || fail "the restart did not converge"
"$PODNETC" plan "$file" --detailed-exitcode > /dev/null || fail "the node is not converged after the restart"
stop_agent

"$PODNETC" destroy --yes "$file" > /dev/null || fail "destroy"
nothing_owned "after destroy"
echo "agent-safety: ok"
