#!/bin/bash
# `podnetc compile --emit ip` writes a script that builds a working node from scratch.
# For each of the article's examples: run the script, check that everything it made
# carries podnetc's ownership marks, that every pod's lo is up and answers
# 127.0.0.1 (as `podnetc apply` leaves it), ping across the pods and check the TTL (64 when
# switched or point to point, 63 after one routed hop, as in the article), then
# remove it all and check that nothing is left before the next example.
#
# Runs inside tools/sandbox: a fresh network namespace with only `lo` and no default
# route, which route mode must not need (the pods hold a permanent neighbour entry
# for the gateway, see docs/LANGUAGE.md). The test gives the host an `eth0` of its
# own first (a veth, the kernel here has no dummy module): the scripts must create
# the pods' eth0 inside the pods and leave the host's alone.
set -euo pipefail
. "$(dirname "$0")/sandbox-guard.sh"
: "${PODNETC:?path of the podnetc binary}" "${PODNETC_SOURCE_DIR:?path of the source tree}"

state_dir=${PODNETC_STATE_DIR:-/run/podnetc}
group=20558   # kOwnedLinkGroup
proto=176     # kOwnedProtocol
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
    echo "FAIL [$example]: $*" >&2
    exit 1
}

# ping_ttl NETNS ADDR TTL: one echo from NETNS to ADDR must come back with TTL.
ping_ttl() {
    local out ttl
    out=$(ip netns exec "$1" ping -n -c1 -W2 "$2" 2>&1) || fail "$1 cannot reach $2: $out"
    ttl=$(sed -n 's/.* ttl=\([0-9]*\) .*/\1/p' <<<"$out")
    [ "$ttl" = "$3" ] || fail "$1 -> $2: ttl=$ttl, expected $3"
    echo "  $1 -> $2 ttl=$ttl"
}

# links_in NETNS: interface names, one per line, without lo and (host: NETNS "")
# without the host's own eth0 and its peer, which no script may touch.
links_in() {
    if [ -z "$1" ]; then
        ip -o link show | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p' | grep -vx -e lo -e eth0 -e uplink0 || true
    else
        ip -n "$1" -o link show | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p' | grep -vx lo || true
    fi
}

owned_links_in() {
    if [ -z "$1" ]; then ip -o link show group "$group"; else ip -n "$1" -o link show group "$group"; fi |
        sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p'
}

# Every link, route and neighbour the script made carries the marks; every namespace
# is in the registry.
check_ownership() {
    local ns
    for ns in "" $(ip netns list | cut -d' ' -f1); do
        local label=${ns:-host}
        local foreign
        foreign=$(comm -23 <(links_in "$ns" | sort) <(owned_links_in "$ns" | sort) | tr '\n' ' ')
        [ -z "$foreign" ] || fail "links without group $group in $label: $foreign"
        local ipn=(ip); [ -n "$ns" ] && ipn=(ip -n "$ns")
        foreign=$("${ipn[@]}" route show | grep -Ev " proto (kernel|$proto)( |\$)" || true)
        [ -z "$foreign" ] || fail "routes without proto $proto in $label: $foreign"
        foreign=$("${ipn[@]}" neigh show nud permanent | grep -Ev " proto $proto( |\$)" || true)
        [ -z "$foreign" ] || fail "permanent neighbours without protocol $proto in $label: $foreign"
        if [ -n "$ns" ]; then
            [ -e "$state_dir/netns/$ns" ] || fail "namespace $ns is not in the registry $state_dir/netns"
        fi
    done
}

# Every pod namespace has lo up, and 127.0.0.1 answers inside it.
check_loopback() {
    local ns link out
    for ns in $(ip netns list | cut -d' ' -f1); do
        link=$(ip -n "$ns" link show lo)
        grep -q '[<,]UP[,>]' <<<"$link" || fail "lo is not up in $ns: $link"
        out=$(ip netns exec "$ns" ping -n -c1 -W1 127.0.0.1 2>&1) || fail "127.0.0.1 does not answer in $ns: $out"
    done
}

cleanup() {
    local ns
    ip link delete group "$group" 2>/dev/null || true   # host ends take their peers along
    for ns in $(ip netns list | cut -d' ' -f1); do
        ip netns delete "$ns"
        rm -f "$state_dir/netns/$ns"
    done
}

assert_clean() {
    [ -z "$(ip netns list)" ] || fail "namespaces left: $(ip netns list | tr '\n' ' ')"
    [ -z "$(links_in "")" ] || fail "host links left: $(links_in "" | tr '\n' ' ')"
    [ -z "$(ip route show)" ] || fail "host routes left: $(ip route show)"
    [ -z "$(ip neigh show nud permanent)" ] || fail "host neighbours left"
    [ -z "$(ls -A "$state_dir/netns" 2>/dev/null)" ] || fail "registry entries left"
}

# build EXAMPLE: compile the example to a script and run it.
build() {
    example=$1
    echo "== examples/$example.pnet"
    "$PODNETC" compile "$PODNETC_SOURCE_DIR/examples/$example.pnet" --emit ip >"$work/$example.sh" ||
        fail "podnetc compile failed"
    if ! bash "$work/$example.sh"; then
        sed "s/^/  | /" "$work/$example.sh" >&2
        fail "the script failed (printed above)"
    fi
    check_ownership
    check_loopback
}

example=setup
[ -z "$(ip route show default)" ] || fail "the sandbox has a default route; this test wants none"
ip link add eth0 type veth peer name uplink0
ip link set eth0 up
assert_clean

build bridge
ping_ttl pod-1 10.10.1.11 64
ping_ttl pod-2 10.10.1.10 64
cleanup; assert_clean

build route
ping_ttl pod-1 10.10.1.11 63
ping_ttl pod-2 10.10.1.10 63
cleanup; assert_clean

build bridge-gateway
ping_ttl pod-1 10.10.1.11 64
ping_ttl pod-3 10.10.1.1 64    # the bridge's address: the pods' gateway to the host
cleanup; assert_clean

build mesh
ping_ttl pod-1 10.10.1.11 64
ping_ttl pod-1 10.10.1.13 64
ping_ttl pod-4 10.10.1.12 64
cleanup; assert_clean

example=teardown
ip link show eth0 >/dev/null 2>&1 || fail "the host's eth0 is gone"
[[ $(ip link show eth0) == *,UP* ]] || fail "the host's eth0 is no longer up"
echo "ip-script: all examples passed"
