#!/bin/bash
# tools/cluster-sim inside tools/sandbox: two nodes each see only their own eth0
# (in `ip link` and in /sys/class/net), ping each other over the underlay bridge,
# have a private /run, and `down` leaves no link, process or state behind.
set -euo pipefail
. "$(dirname "$0")/sandbox-guard.sh"
: "${PODNETC_SOURCE_DIR:?set PODNETC_SOURCE_DIR to the source tree}"
sim=$PODNETC_SOURCE_DIR/tools/cluster-sim
fail() { printf 'cluster-sim: FAILED: %s\n' "$*" >&2; exit 1; }
trap '"$sim" down' EXIT

"$sim" up 2
[ "$("$sim" list)" = $'worker-1 192.168.0.11\nworker-2 192.168.0.12' ] || fail "list: $("$sim" list)"
[ "$("$sim" address worker-2)" = 192.168.0.12 ] || fail "address worker-2"

for node in worker-1 worker-2; do
    links=$("$sim" exec "$node" ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | sort | tr '\n' ' ')
    [ "$links" = "eth0 lo " ] || fail "$node sees links: $links"
    sysfs=$("$sim" exec "$node" ls /sys/class/net | sort | tr '\n' ' ')
    [ "$sysfs" = "eth0 lo " ] || fail "$node /sys/class/net: $sysfs"
done

"$sim" exec worker-1 ping -c1 -W2 192.168.0.12 > /dev/null || fail "worker-1 -> worker-2 ping"
"$sim" exec worker-2 ping -c1 -W2 192.168.0.11 > /dev/null || fail "worker-2 -> worker-1 ping"

"$sim" exec worker-1 touch /run/podnetc/only-on-worker-1
"$sim" exec worker-2 test ! -e /run/podnetc/only-on-worker-1 || fail "worker-2 sees worker-1's /run"
[ ! -e /run/podnetc/only-on-worker-1 ] || fail "the sandbox sees worker-1's /run"

pids=$(cat /run/cluster-sim/*.pid)
"$sim" down
for pid in $pids; do ! kill -0 "$pid" 2> /dev/null || fail "holder $pid still runs"; done
[ ! -e /run/cluster-sim ] || fail "state left in /run/cluster-sim"
left=$(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -v '^lo$' || true)
[ -z "$left" ] || fail "links left in the sandbox: $left"
echo "cluster-sim: ok"
