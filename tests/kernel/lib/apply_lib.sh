# Shared by the apply kernel tests (sourced; runs inside tools/sandbox).
. "$(dirname "${BASH_SOURCE[0]}")/../sandbox-guard.sh"
: "${PODNETC:?set PODNETC to the podnetc binary}"
: "${PODNETC_SOURCE_DIR:?set PODNETC_SOURCE_DIR to the source tree}"
export PODNETC_NODE=${PODNETC_NODE:-test-node}
examples=$PODNETC_SOURCE_DIR/examples
lib=$PODNETC_SOURCE_DIR/tests/kernel/lib

# The words of podnetc COMMAND in a script: destroy asks on a terminal and needs
# --yes without one. Unquoted on purpose: `"$PODNETC" $(unattended "$1") FILE`.
unattended() { if [ "$1" = destroy ]; then echo "destroy --yes"; else echo "$1"; fi; }
test_name=$(basename "$0" .test.sh)

fail() {
    printf '%s: FAILED: %s\n' "$test_name" "$*" >&2
    exit 1
}

# shows [GREP-OPTION…] PATTERN COMMAND…: a line of COMMAND's output matches PATTERN.
# Not `COMMAND | grep -q`: under pipefail that fails whenever grep exits before
# COMMAND's last write, and ip writes one object per write() (it dies of SIGPIPE).
shows() {
    local options=()
    while [[ $1 == -* ]]; do options+=("$1"); shift; done
    local pattern=$1; shift
    grep -q "${options[@]}" -e "$pattern" <<< "$("$@")"
}

# snapshot PREFIX: PREFIX.show (podnetc show --json) and PREFIX.ip (ip -j), normalized.
snapshot() {
    "$PODNETC" show --json | python3 "$lib/normalize_show.py" > "$1.show" || fail "show --json"
    python3 "$lib/node_state.py" > "$1.ip" || fail "node_state.py"
}

# same_snapshot A B WHAT: the two snapshots are identical, else the diff and fail.
same_snapshot() {
    if ! cmp -s "$1.show" "$2.show" || ! cmp -s "$1.ip" "$2.ip"; then
        diff -u "$1.show" "$2.show" | head -40 >&2 || true
        diff -u "$1.ip" "$2.ip" | cut -c1-400 | head -40 >&2 || true
        fail "$3: the node is not as it was"
    fi
}

# Objects podnetc must never touch: a bridge, a veth pair with an address and a
# route through it, a namespace with a link up.
foreign_setup() {
    ip link add br-foreign type bridge
    ip link add vf0 type veth peer name vf1
    ip link set vf0 up
    ip addr add 192.0.2.1/24 dev vf0
    ip route add 198.51.100.0/24 via 192.0.2.2 dev vf0
    ip netns add foreign-ns
    ip -n foreign-ns link set lo up
}

foreign_dump() {
    {
        python3 "$lib/node_state.py" foreign-ns
        python3 "$lib/node_state.py" "" | grep -E '"(br-foreign|vf0|vf1)"|198\.51\.100|192\.0\.2\.' || true
    } > "$1"
}

# ping_ttl NETNS ADDRESS TTL: one echo, answered with this TTL.
ping_ttl() {
    local out
    out=$(ip netns exec "$1" ping -c1 -W2 "$2" 2>&1) || fail "ping $2 from $1: $out"
    grep -q "ttl=$3 " <<<"$out" || fail "ping $2 from $1: expected ttl=$3: $out"
}

# nothing_owned: no namespace, link, address, route or neighbour of podnetc's left.
nothing_owned() {
    local show
    show=$("$PODNETC" show --json) || fail "show --json"
    if grep -q '"owned": true' <<<"$show"; then
        grep '"owned": true' <<<"$show" >&2
        fail "$1: podnetc still owns objects"
    fi
    [ -z "$(ip link show group 20558)" ] || fail "$1: links in group 20558 left"
    [ -z "$(ip route show table all proto 176)" ] || fail "$1: routes with proto 176 left"
    [ "$(ip netns list | awk '{print $1}' | grep -v '^foreign-ns$' || true)" = "" ] ||
        fail "$1: namespaces left: $(ip netns list)"
}

# op_count FILE: operations in the plan for FILE.
op_count() {
    "$PODNETC" plan "$1" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["ops"]))'
}

# loopback_works NETNS: lo is up and 127.0.0.1 answers inside NETNS, as in a pod.
loopback_works() {
    local link out
    link=$(ip -n "$1" link show lo)
    grep -q '[<,]UP[,>]' <<<"$link" || fail "$1: lo is not up: $link"
    out=$(ip netns exec "$1" ping -c1 -W1 127.0.0.1 2>&1) || fail "$1: 127.0.0.1 does not answer: $out"
}

# pod_namespaces: the namespaces in podnetc's registry.
pod_namespaces() {
    ls "${PODNETC_STATE_DIR:-/run/podnetc}/netns" 2>/dev/null || true
}
