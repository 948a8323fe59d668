# Shared by the agent kernel tests (sourced after apply_lib.sh; inside tools/sandbox):
# an agent started as a real process with a real notify socket (notify_listener.py)
# and a metrics port it picks itself, and polling helpers with a deadline.
work=$(mktemp -d)
agent_pid="" listener_pid=""
agent_cleanup() {
    [ -n "$agent_pid" ] && kill -TERM "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
    [ -n "$listener_pid" ] && kill "$listener_pid" 2>/dev/null
    # Anything else still running would hold the test's output open.
    kill $(jobs -p) 2>/dev/null || true
    rm -rf "$work"
}
trap agent_cleanup EXIT

# wait_for SECONDS WHAT COMMAND…: until COMMAND succeeds, polling every 0.1 s.
wait_for() {
    local seconds=$1 what=$2 tries
    shift 2
    tries=$(awk -v s="$seconds" 'BEGIN { print int(s * 10) }')
    for _ in $(seq "$tries"); do
        if "$@" > /dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    echo "--- agent log:" >&2; tail -30 "$work/agent.log" >&2 || true
    fail "$what (not within ${seconds}s)"
}

notified() { grep -q "$1" "$work/notify.log"; }
metric() { curl -sf "http://127.0.0.1:$port/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
metric_at_least() { [ "$(metric "$1")" -ge "$2" ] 2>/dev/null; }
logged() { grep -q "$1" "$work/agent.log"; }
route_is_podnetcs() { shows "proto 176" ip -n pod-1 route show default; }

# start_agent [--binary PATH] [--no-wait] FILE [OPTIONS…]: until READY=1 (not with
# --no-wait: a first cycle that is held up); sets agent_pid and port.
start_agent() {
    local binary=$PODNETC wait=1
    if [ "$1" = --binary ]; then binary=$2; shift 2; fi
    if [ "$1" = --no-wait ]; then wait=0; shift; fi
    : > "$work/agent.log" && : > "$work/notify.log"
    python3 "$lib/notify_listener.py" "$work/notify.sock" "$work/notify.log" &
    listener_pid=$!
    wait_for 5 "the notify listener starts" notified listening
    NOTIFY_SOCKET=$work/notify.sock "$binary" agent "$@" --metrics 127.0.0.1:0 --log-format json \
        --resync 1h 2> "$work/agent.log" &
    agent_pid=$!
    [ "$wait" = 1 ] || return 0
    wait_for 10 "READY=1 on the notify socket" notified "READY=1"
    port=$(python3 -c 'import json,sys
for line in open(sys.argv[1]):
    entry = json.loads(line)
    if entry["event"] == "metrics": print(entry["port"])' "$work/agent.log")
    [ -n "$port" ] || fail "the agent did not say its metrics port"
}

stop_agent() {
    kill -TERM "$agent_pid"
    local status=0
    wait "$agent_pid" || status=$?
    agent_pid=""
    [ "$status" = 0 ] || fail "the agent exited $status on SIGTERM"
    notified "STOPPING=1" || fail "no STOPPING=1 on the notify socket"
    kill "$listener_pid" && wait "$listener_pid" 2>/dev/null || true
    listener_pid=""
}

