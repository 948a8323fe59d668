#!/bin/bash
# `podnetc agent` as a node runs it (inside tools/sandbox): a real process with a
# real notify socket and a real HTTP scrape, converging from a git working copy.
#   - start: READY=1 after the first cycle, pods up and reachable, foreign objects untouched;
#   - drift from other writers, repaired from rtnetlink notifications (resync is 1 h,
#     so nothing here is found by polling): a pod route deleted, a host veth deleted,
#     the gateway neighbour deleted;
#   - a quiet node stays quiet (its own applies do not retrigger it);
#   - the file changing as on nodes: `git checkout` of another branch and back, an
#     editor's rename over the file, a broken file written in place (diagnostics
#     logged with file:line:col, node unchanged, metrics say it), then fixed;
#   - a fight: a loop that keeps deleting the route is reported, not chased;
#   - SIGTERM: exits 0 with STOPPING=1; a ConfigMap volume's ..data flip; --drift report.
set -euo pipefail
source "$(dirname "$0")/lib/apply_lib.sh"
source "$(dirname "$0")/lib/agent_lib.sh"

foreign_setup
foreign_dump "$work/foreign.before"

# --- a git working copy, as a node provisioned from git has it
repo=$work/repo
git init -q -b main "$repo"
git -C "$repo" config user.email agent@test && git -C "$repo" config user.name test
cp "$examples/route.pnet" "$repo/route.pnet"
git -C "$repo" add route.pnet && git -C "$repo" commit -qm "two pods"
git -C "$repo" checkout -q -b three
echo "pod pod-3 on pods address 10.10.1.12 host-veth veth3" >> "$repo/route.pnet"
git -C "$repo" commit -qam "three pods"
git -C "$repo" checkout -q main

start_agent "$repo/route.pnet"
ping_ttl pod-1 10.10.1.11 63
"$PODNETC" plan "$repo/route.pnet" --detailed-exitcode > /dev/null || fail "plan after the agent's start is not empty"
[ "$(metric podnetc_converged)" = 1 ] || fail "the metrics do not say converged"
shows ok curl -sf "http://127.0.0.1:$port/healthz" || fail "/healthz does not answer ok"
shows converged curl -sf "http://127.0.0.1:$port/readyz" || fail "/readyz does not answer converged"
curl -sf "http://127.0.0.1:$port/metrics" | python3 "$lib/parse_metrics.py" --require podnetc_up \
    podnetc_last_success_timestamp_seconds podnetc_applies_total podnetc_apply_duration_seconds \
    podnetc_drift_repairs_total podnetc_owned_objects podnetc_pending_changes podnetc_topology_errors \
    > /dev/null || fail "the metrics do not parse"
[ "$(metric 'podnetc_owned_objects{kind="namespace"}')" = 2 ] || fail "the metrics do not count 2 owned namespaces"
"$PODNETC" status > "$work/status.txt" || fail "podnetc status does not say converged: $(cat "$work/status.txt")"
grep -q "running (pid $agent_pid)" "$work/status.txt" || fail "podnetc status: $(cat "$work/status.txt")"

# --- quiet: no cycle without a change
sleep 1.5
cycles_before=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '/^podnetc_cycles_total/ { n += $2 } END { print n }')
sleep 2
cycles_after=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '/^podnetc_cycles_total/ { n += $2 } END { print n }')
[ "$cycles_before" = "$cycles_after" ] || fail "the agent ran cycles on a quiet node ($cycles_before -> $cycles_after)"

# --- drift from other writers, each repaired from a notification within a second or so
deleted=$(date +%s%N)
ip -n pod-1 route del default
wait_for 2 "the deleted pod route is repaired" route_is_podnetcs
echo "agent: the deleted route was back after $(( ($(date +%s%N) - deleted) / 1000000 )) ms (polled every 100 ms)"
ip link del veth2
wait_for 2 "the deleted host veth is repaired" ip link show veth2
wait_for 3 "pod-2 is reachable again" ip netns exec pod-1 ping -c1 -W1 10.10.1.11
ip -n pod-1 neigh del 169.254.1.1 dev eth0
wait_for 2 "the gateway neighbour is repaired" sh -c 'ip -n pod-1 neigh show 169.254.1.1 | grep -q "PERMANENT proto 176"'
metric_at_least podnetc_drift_repairs_total 3 || fail "drift repairs not counted: $(metric podnetc_drift_repairs_total)"
logged '"event": "drift"' || fail "no drift entry in the log"

# --- the file changes as it does on nodes
git -C "$repo" checkout -q three
wait_for 5 "git checkout of a branch with pod-3 is applied" ip netns exec pod-3 ip addr show eth0
git -C "$repo" checkout -q main
wait_for 5 "git checkout back removes pod-3" sh -c '! ip netns list | grep -q pod-3'
sed 's/10.10.1.11/10.10.1.21/' "$repo/route.pnet" > "$repo/.route.pnet.swp"
mv "$repo/.route.pnet.swp" "$repo/route.pnet"
wait_for 5 "an editor's rename over the file is applied" sh -c 'ip -n pod-2 addr show eth0 | grep -q 10.10.1.21'
good=$(cat "$repo/route.pnet")
printf '%s\npod pod-9 on pods addres 10.10.1.90\n' "$good" > "$repo/route.pnet"
wait_for 5 "the broken file's diagnostics are logged" logged 'route.pnet:10:19: error: unknown interface option'
python3 -c 'import json,sys
[json.loads(line) for line in open(sys.argv[1])]' "$work/agent.log" || fail "a log line is not JSON"
[ "$(metric podnetc_topology_errors)" = 2 ] || fail "the metrics do not say the file has 2 errors"
python3 -c 'import json,sys
s = json.load(open(sys.argv[1]))
assert s["last_cycle"]["result"] == "compile_error", s["last_cycle"]' /run/podnetc/agent/test-node.json ||
    fail "the status file does not say compile_error"
shows 10.10.1.21 ip -n pod-2 addr show eth0 || fail "a broken file changed the node"
status=0; "$PODNETC" status > "$work/status.txt" || status=$?
[ "$status" = 2 ] || fail "podnetc status exits $status, not 2, while the file does not compile"
grep -q "route.pnet:10:19: error" "$work/status.txt" || fail "podnetc status does not show the error: $(cat "$work/status.txt")"
! shows pod-9 ip netns list || fail "a broken file was applied"
printf '%s\n' "$good" > "$repo/route.pnet"
wait_for 5 "the fixed file compiles again" sh -c "[ \"\$(curl -sf http://127.0.0.1:$port/metrics | awk '\$1 == \"podnetc_topology_errors\" { print \$2 }')\" = 0 ]"

# --- a fight: another writer keeps deleting the route
repairs_before=$(metric podnetc_drift_repairs_total)
( for _ in $(seq 40); do ip -n pod-1 route del default 2>/dev/null || true; sleep 0.1; done ) &
fighter=$!
wait "$fighter"
wait_for 3 "the fight is reported" logged '"event": "fight"'
metric_at_least podnetc_fights_total 1 || fail "the fight is not counted"
# Three repairs are drift; the fourth within two minutes makes it a fight, and repairs pause.
repairs=$(( $(metric podnetc_drift_repairs_total) - repairs_before ))
[ "$repairs" -le 5 ] || fail "the agent chased the other writer ($repairs repairs in 4 s)"

stop_agent
foreign_dump "$work/foreign.after"
cmp -s "$work/foreign.before" "$work/foreign.after" || fail "foreign objects changed"

# --- a ConfigMap volume: the file is a symlink through ..data, flipped by a rename
cm=$work/configmap
mkdir -p "$cm/..2026_12_03_1"
printf '%s\n' "$good" > "$cm/..2026_12_03_1/route.pnet"
ln -s ..2026_12_03_1 "$cm/..data" && ln -s ..data/route.pnet "$cm/route.pnet"
start_agent "$cm/route.pnet" --max-delete 100%
route_is_podnetcs || fail "the route is not repaired after the fight ended and the agent restarted"
mkdir "$cm/..2026_12_03_2"
sed 's/10.10.1.21/10.10.1.31/' "$cm/..2026_12_03_1/route.pnet" > "$cm/..2026_12_03_2/route.pnet"
ln -s ..2026_12_03_2 "$cm/..data_tmp" && mv -T "$cm/..data_tmp" "$cm/..data" && rm -rf "$cm/..2026_12_03_1"
wait_for 5 "the ConfigMap's ..data flip is applied" sh -c 'ip -n pod-2 addr show eth0 | grep -q 10.10.1.31'
stop_agent

# --- --drift report: drift is logged and counted, nothing is changed
start_agent "$cm/route.pnet" --drift report
ip -n pod-1 route del default
wait_for 3 "drift is reported" logged 'drift (left alone)'
metric_at_least podnetc_drift_reported_total 1 || fail "reported drift is not counted"
shows . ip -n pod-1 route show default && fail "--drift report repaired the route"
stop_agent

"$PODNETC" destroy --yes "$cm/route.pnet" > /dev/null || fail "destroy"
nothing_owned "after destroy"
echo "agent: ok"
