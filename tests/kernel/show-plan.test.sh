#!/bin/bash
# `podnetc show` and `podnetc plan` against a real kernel (inside tools/sandbox).
#
# For examples/bridge.pnet, route.pnet and mesh.pnet: build the node with the
# compiler's own script (`compile --emit ip | bash`), then
#   - `show --json` holds exactly the declared objects, with podnetc's markers, and
#     besides them only what the kernel makes by itself (lib/expect_state.py);
#   - `show --as pnet` writes a file that checks clean and whose plan is only the
#     takeover of what the script could not mark: iproute2 6.1 has no `proto` for
#     addresses, so they are foreign (with a newer iproute2 the plan is empty);
#   - the plan of the original file: those addresses are conflicts (the file has no
#     `adopt`), exit 1;
#   - once the addresses carry the marker (the request adoption sends), both files
#     plan nothing, exit 0;
#   - something broken by hand is planned back, exit 2 with --detailed-exitcode.
# Then the article's two experiments typed by hand (SUMMARY.md, with eth0 created
# inside the pod's namespace): `show --as pnet`, and the plan of that file adopts;
# and a routed node whose default route was typed `onlink`. For the routed nodes the
# notes of `show --as pnet` are compared with the plan of that file: one note for
# each operation that is more than a takeover.
set -euo pipefail
. "$(dirname "$0")/sandbox-guard.sh"
: "${PODNETC:?path of the podnetc binary}" "${PODNETC_SOURCE_DIR:?path of the source tree}"

lib=$PODNETC_SOURCE_DIR/tests/kernel/lib
examples=$PODNETC_SOURCE_DIR/examples
state_dir=${PODNETC_STATE_DIR:-/run/podnetc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
case=setup

fail() {
    echo "FAIL [$case]: $*" >&2
    exit 1
}

if [[ $(ip address help 2>&1) == *ADDRPROTO* ]]; then address_protocol=176; else address_protocol=0; fi

# plan_listing NAME ARGS…: runs `podnetc plan ARGS… --json --detailed-exitcode`;
# NAME.json is the plan, NAME.ops its listing (lib/plan_ops.py), NAME.status the exit.
plan_listing() {
    local name=$1 status=0
    shift
    "$PODNETC" plan "$@" --json --detailed-exitcode > "$name.json" 2> "$name.err" || status=$?
    echo "$status" > "$name.status"
    if [ "$status" -ne 0 ] && [ "$status" -ne 1 ] && [ "$status" -ne 2 ]; then
        fail "plan $*: exit $status: $(cat "$name.err")"
    fi
    python3 "$lib/plan_ops.py" "$name.json" > "$name.ops"
}

# expect_plan NAME STATUS < EXPECTED-LISTING
expect_plan() {
    diff -u - "$1.ops" > "$1.diff" || fail "plan $1 differs (- expected, + actual):
$(cat "$1.diff")"
    [ "$(cat "$1.status")" = "$2" ] || fail "plan $1: exit $(cat "$1.status"), expected $2"
}

# expect_notes FILE NAME < EXPECTED-NOTES: the notes of a `show --as pnet` file, and
# as many of them as its plan (NAME.json, from plan_listing) has operations that are
# more than a takeover, and conflicts.
expect_notes() {
    sed -n 's/^#   //p' "$1" > "$1.notes"
    diff -u - "$1.notes" > "$1.diff" || fail "notes of $1 differ (- expected, + actual):
$(cat "$1.diff")"
    python3 - "$2.json" "$1.notes" <<'PY' || fail "the notes of $1 do not match the plan $2"
import json, sys
plan = json.load(open(sys.argv[1]))
changes = [op for op in plan["ops"] if op["reason"] != "adopt" or op["detail"]]
notes = open(sys.argv[2]).read().splitlines()
assert len(notes) == len(changes) + len(plan["conflicts"]), (notes, changes, plan["conflicts"])
PY
}

# expect_no_changes FILE ARGS…: the plan is empty, exit 0, and the text says so.
expect_no_changes() {
    local file=$1 status=0
    shift
    "$PODNETC" plan "$file" "$@" --detailed-exitcode > plan.txt 2>&1 || status=$?
    printf 'podnetc plan\n\nNo changes. The node matches %s.\n' "$file" | diff -u - plan.txt > plan.diff ||
        fail "plan $file: expected no changes:
$(cat plan.diff)"
    [ "$status" = 0 ] || fail "plan $file: exit $status on a converged node"
}

# Addresses as "LOCAL NETNS/DEV" lines, in the file's order: the listings below.
takeover() {
    sed -E 's|^(\S+) (\S+)$|adopt replace_address \1 dev \2 protocol 176|'
}
conflicts() {
    sed -E 's|^(\S+) (\S+)$|conflict address \1 on \2 exists and was not created by podnetc|'
}

mark_addresses() {
    local local_address dev
    while read -r local_address dev; do
        ip netns exec "${dev%%/*}" python3 "$lib/mark_address.py" "${dev#*/}" "$local_address"
    done
}

reset_node() {
    local ns link
    for ns in $(ip netns list | cut -d' ' -f1); do ip netns delete "$ns"; done
    for link in $(ip -o link show | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p' | grep -vx lo); do
        ip link delete "$link" 2>/dev/null || true  # a veth may have gone with its peer
    done
    rm -rf "$state_dir"
    "$PODNETC" show --json > empty.json
    python3 - empty.json <<'PY' || fail "the node is not empty after reset"
import json, sys
doc = json.load(open(sys.argv[1]))
assert [n["name"] for n in doc["namespaces"]] == [""], doc
assert [l["name"] for l in doc["namespaces"][0]["links"]] == ["lo"], doc
PY
}

# check_example NAME ADDRESSES: build examples/<NAME>.pnet and check show and plan.
check_example() {
    local name=$1 addresses=$2 file
    case=$name
    file=$examples/$name.pnet
    "$PODNETC" compile "$file" --emit ip | bash
    "$PODNETC" compile "$file" --emit json > "$name.ir.json"

    "$PODNETC" show --json > "$name.state.json"
    python3 "$lib/expect_state.py" "$name.ir.json" "$name.state.json" "$address_protocol" ||
        fail "show --json does not hold exactly what $name.pnet declares"
    "$PODNETC" show --state-from "$name.state.json" --json | cmp -s - "$name.state.json" ||
        fail "the snapshot does not read back to the same bytes"

    "$PODNETC" show --as pnet > adopted.pnet
    "$PODNETC" check adopted.pnet > check.out 2>&1 || fail "check adopted.pnet: $(cat check.out)"
    [ ! -s check.out ] || fail "check adopted.pnet is not clean: $(cat check.out)"

    if [ "$address_protocol" = 176 ]; then
        expect_no_changes adopted.pnet
        expect_no_changes "$file"
        return
    fi
    plan_listing adopted adopted.pnet
    takeover <<< "$addresses" | expect_plan adopted 2
    plan_listing original "$file"
    conflicts <<< "$addresses" | expect_plan original 1

    mark_addresses <<< "$addresses"
    "$PODNETC" show --json > "$name.marked.json"
    python3 "$lib/expect_state.py" "$name.ir.json" "$name.marked.json" 176 ||
        fail "show --json after marking the addresses"
    expect_no_changes "$file"
    expect_no_changes adopted.pnet
}

# routed_by_hand ROUTE…: the article's routed experiment typed by hand, two pods
# whose routes are ROUTE… (each the arguments of one `ip route add` in the pod).
routed_by_hand() {
    local i route
    for i in 1 2; do
        ip netns add "pod-$i"
        ip link add "veth$i" type veth peer name eth0 netns "pod-$i"
        ip netns exec "pod-$i" ip link set eth0 up
        ip netns exec "pod-$i" ip addr add "10.10.1.1$((i - 1))" dev eth0
        for route in "$@"; do
            # shellcheck disable=SC2086  # one argument list per route
            ip netns exec "pod-$i" ip route add $route
        done
        ip link set dev "veth$i" up
        echo 1 > "/proc/sys/net/ipv4/conf/veth$i/proxy_arp"
    done
    echo 1 > /proc/sys/net/ipv4/ip_forward
    ip route add 10.10.1.10 dev veth1 scope link
    ip route add 10.10.1.11 dev veth2 scope link
}

# --- bridge --------------------------------------------------------------------
reset_node
check_example bridge "10.10.1.10/32 pod-1/eth0
10.10.1.11/32 pod-2/eth0"
case="bridge, broken by hand"
ip link set veth1 nomaster
ip -n pod-2 route del default
plan_listing broken "$examples/bridge.pnet"
expect_plan broken 2 <<'EOF'
differs change_link veth1 master="cbr0" | master none -> cbr0
missing add_route 0.0.0.0/0 dev pod-2/eth0 protocol 176
EOF

# --- route ---------------------------------------------------------------------
reset_node
check_example route "10.10.1.10/32 pod-1/eth0
10.10.1.11/32 pod-2/eth0"
case="route, broken by hand"
ip route del 10.10.1.10/32 dev veth1
echo 0 > /proc/sys/net/ipv4/conf/veth1/proxy_arp
ip link set veth2 down  # the kernel flushes 10.10.1.11/32 dev veth2 with it
plan_listing broken "$examples/route.pnet"
expect_plan broken 2 <<'EOF'
differs change_link veth1 proxy_arp=true | proxy_arp off -> on
differs change_link veth2 up=true | down -> up
missing add_route 10.10.1.10/32 dev veth1 protocol 176
missing add_route 10.10.1.11/32 dev veth2 protocol 176
EOF
# The same in text, without a record of the last apply: changes, not drift.
"$PODNETC" plan "$examples/route.pnet" | sed -E 's| +/\S+/route.pnet:| route.pnet:|' > broken.txt
diff -u - broken.txt > broken.diff <<'EOF' || fail "plan text (- expected, + actual):
$(cat broken.diff)"
podnetc plan

pod pod-1
  ~ link veth1: proxy_arp off -> on route.pnet:8:11
  + route 10.10.1.10/32 dev veth1 scope link route.pnet:8:11
pod pod-2
  ~ link veth2: down -> up route.pnet:9:11
  + route 10.10.1.11/32 dev veth2 scope link route.pnet:9:11

Plan: 2 to create, 2 to change, 0 to delete.
EOF

# --- mesh ----------------------------------------------------------------------
reset_node
check_example mesh "10.10.1.10/32 pod-1/pod-2
10.10.1.10/32 pod-1/pod-3
10.10.1.10/32 pod-1/pod-4
10.10.1.11/32 pod-2/pod-1
10.10.1.11/32 pod-2/pod-3
10.10.1.11/32 pod-2/pod-4
10.10.1.12/32 pod-3/pod-1
10.10.1.12/32 pod-3/pod-2
10.10.1.12/32 pod-3/pod-4
10.10.1.13/32 pod-4/pod-1
10.10.1.13/32 pod-4/pod-2
10.10.1.13/32 pod-4/pod-3"
case="mesh, broken by hand"
ip -n pod-3 route del 10.10.1.10/32
ip -n pod-4 link set pod-2 down  # takes 10.10.1.11/32 dev pod-4/pod-2 with it
plan_listing broken "$examples/mesh.pnet"
expect_plan broken 2 <<'EOF'
missing add_route 10.10.1.10/32 dev pod-3/pod-1 protocol 176
differs change_link pod-4/pod-2 up=true | down -> up
missing add_route 10.10.1.11/32 dev pod-4/pod-2 protocol 176
EOF

# --- the article's experiments, typed by hand ------------------------------------
reset_node
case="article: bridge by hand"
ip netns add pod-1
ip netns add pod-2
ip link add veth1 type veth peer name eth0 netns pod-1
ip link add veth2 type veth peer name eth0 netns pod-2
ip netns exec pod-1 ip addr add 10.10.1.10/32 dev eth0
ip netns exec pod-2 ip addr add 10.10.1.11/32 dev eth0
for i in 1 2; do
    ip netns exec "pod-$i" ip link set eth0 up
    ip link set "veth$i" up
    ip netns exec "pod-$i" ip route add default dev eth0
done
ip link add cbr0 type bridge
ip link set cbr0 up
ip link set veth1 master cbr0
ip link set veth2 master cbr0
"$PODNETC" show --as pnet > article-bridge.pnet
grep -qxF 'network cbr0 mode bridge subnet 10.10.1.0/24 adopt' article-bridge.pnet ||
    fail "show --as pnet: $(cat article-bridge.pnet)"
grep -qxF 'pod pod-1 adopt on cbr0 address 10.10.1.10/32 host-veth veth1' article-bridge.pnet ||
    fail "show --as pnet: $(cat article-bridge.pnet)"
"$PODNETC" check article-bridge.pnet > check.out 2>&1 && [ ! -s check.out ] || fail "check: $(cat check.out)"
plan_listing article-bridge article-bridge.pnet
expect_plan article-bridge 2 <<'EOF'
adopt register_netns pod-1
adopt register_netns pod-2
adopt change_link cbr0 group=20558
adopt change_link veth1 group=20558
adopt change_link veth2 group=20558
adopt change_link pod-1/eth0 group=20558
adopt replace_address 10.10.1.10/32 dev pod-1/eth0 protocol 176
adopt replace_route 0.0.0.0/0 dev pod-1/eth0 protocol 176
adopt change_link pod-2/eth0 group=20558
adopt replace_address 10.10.1.11/32 dev pod-2/eth0 protocol 176
adopt replace_route 0.0.0.0/0 dev pod-2/eth0 protocol 176
EOF

reset_node
case="article: route by hand"
routed_by_hand "169.254.1.1 dev eth0" "default via 169.254.1.1 dev eth0"
"$PODNETC" show --as pnet > article-route.pnet
grep -qxF 'network pods mode route subnet 10.10.1.0/24' article-route.pnet ||
    fail "show --as pnet: $(cat article-route.pnet)"
"$PODNETC" check article-route.pnet > check.out 2>&1 && [ ! -s check.out ] || fail "check: $(cat check.out)"
# Besides the takeover, podnetc's route mode does two things the article does not:
# ARP proxy_delay 0 on the host veth (no 80 ms wait before the first answer) and a
# permanent neighbour for the gateway in the pod (KERNEL-FACTS #3).
plan_listing article-route article-route.pnet
expect_plan article-route 2 <<'EOF'
adopt register_netns pod-1
adopt register_netns pod-2
adopt change_link veth1 group=20558
adopt change_link veth2 group=20558
differs set_neigh_parms veth1 proxy_delay_ms=0 | proxy_delay 800 -> 0
differs set_neigh_parms veth2 proxy_delay_ms=0 | proxy_delay 800 -> 0
adopt replace_route 10.10.1.10/32 dev veth1 protocol 176
adopt replace_route 10.10.1.11/32 dev veth2 protocol 176
adopt change_link pod-1/eth0 group=20558
adopt replace_address 10.10.1.10/32 dev pod-1/eth0 protocol 176
adopt replace_route 169.254.1.1/32 dev pod-1/eth0 protocol 176
adopt replace_route 0.0.0.0/0 via 169.254.1.1 dev pod-1/eth0 protocol 176
missing add_neighbor 169.254.1.1 dev pod-1/eth0 protocol 176
adopt change_link pod-2/eth0 group=20558
adopt replace_address 10.10.1.11/32 dev pod-2/eth0 protocol 176
adopt replace_route 169.254.1.1/32 dev pod-2/eth0 protocol 176
adopt replace_route 0.0.0.0/0 via 169.254.1.1 dev pod-2/eth0 protocol 176
missing add_neighbor 169.254.1.1 dev pod-2/eth0 protocol 176
EOF
mac1=$(ip -br link show veth1 | awk '{print $3}')
mac2=$(ip -br link show veth2 | awk '{print $3}')
expect_notes article-route.pnet article-route <<EOF
host: ARP proxy_delay of veth1 is 800 ms; the plan will set 0
host: ARP proxy_delay of veth2 is 800 ms; the plan will set 0
pod-1: permanent neighbour 169.254.1.1 lladdr $mac1 on eth0 is missing; the plan will add it
pod-2: permanent neighbour 169.254.1.1 lladdr $mac2 on eth0 is missing; the plan will add it
EOF

reset_node
case="routed by hand, onlink default route"
# `onlink` makes the gateway reachable without a route to it. podnetc's route mode
# declares that route and a default route without onlink (docs/LANGUAGE.md), so the
# plan adds the one and, adopting the other, turns its onlink off.
routed_by_hand "default via 169.254.1.1 dev eth0 onlink"
mac1=$(ip -br link show veth1 | awk '{print $3}')
mac2=$(ip -br link show veth2 | awk '{print $3}')
"$PODNETC" show --as pnet > onlink.pnet
grep -qxF "pod pod-1 adopt on pods address 10.10.1.10/32 host-veth veth1 host-mac $mac1" onlink.pnet ||
    fail "show --as pnet: $(cat onlink.pnet)"
"$PODNETC" check onlink.pnet > check.out 2>&1 && [ ! -s check.out ] || fail "check: $(cat check.out)"
plan_listing onlink onlink.pnet
expect_plan onlink 2 <<'EOF'
adopt register_netns pod-1
adopt register_netns pod-2
adopt change_link veth1 group=20558
adopt change_link veth2 group=20558
differs set_neigh_parms veth1 proxy_delay_ms=0 | proxy_delay 800 -> 0
differs set_neigh_parms veth2 proxy_delay_ms=0 | proxy_delay 800 -> 0
adopt replace_route 10.10.1.10/32 dev veth1 protocol 176
adopt replace_route 10.10.1.11/32 dev veth2 protocol 176
adopt change_link pod-1/eth0 group=20558
adopt replace_address 10.10.1.10/32 dev pod-1/eth0 protocol 176
missing add_route 169.254.1.1/32 dev pod-1/eth0 protocol 176
adopt replace_route 0.0.0.0/0 via 169.254.1.1 dev pod-1/eth0 protocol 176 | onlink on -> off
missing add_neighbor 169.254.1.1 dev pod-1/eth0 protocol 176
adopt change_link pod-2/eth0 group=20558
adopt replace_address 10.10.1.11/32 dev pod-2/eth0 protocol 176
missing add_route 169.254.1.1/32 dev pod-2/eth0 protocol 176
adopt replace_route 0.0.0.0/0 via 169.254.1.1 dev pod-2/eth0 protocol 176 | onlink on -> off
missing add_neighbor 169.254.1.1 dev pod-2/eth0 protocol 176
EOF
expect_notes onlink.pnet onlink <<EOF
host: ARP proxy_delay of veth1 is 800 ms; the plan will set 0
host: ARP proxy_delay of veth2 is 800 ms; the plan will set 0
pod-1: route 169.254.1.1/32 dev eth0 is missing; the plan will add it
pod-1: route default via 169.254.1.1 dev eth0: onlink on -> off; the plan adopts it and changes that
pod-1: permanent neighbour 169.254.1.1 lladdr $mac1 on eth0 is missing; the plan will add it
pod-2: route 169.254.1.1/32 dev eth0 is missing; the plan will add it
pod-2: route default via 169.254.1.1 dev eth0: onlink on -> off; the plan adopts it and changes that
pod-2: permanent neighbour 169.254.1.1 lladdr $mac2 on eth0 is missing; the plan will add it
EOF
# The text plan agrees: the default routes are adoptions (=), not changes (~).
"$PODNETC" plan onlink.pnet > onlink.txt || true
[ "$(grep -c '^  = adopt route default via 169.254.1.1 dev pod-[12]/eth0: onlink on -> off ' onlink.txt)" = 2 ] ||
    fail "plan text of the default routes: $(cat onlink.txt)"

echo "show-plan.test: ok"
