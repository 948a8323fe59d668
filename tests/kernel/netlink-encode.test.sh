#!/bin/bash
# The encoder's requests against the real kernel (runtime/netlink/netlink_encode): the
# probe sends the steps of examples/route.pnet as one batch per namespace (many
# requests per sendmsg, pinned ifindexes, nothing read back before the batch is
# out), then this script checks the result with iproute2 and ping, has the probe
# send the inverses in reverse and checks that nothing is left. Then the ifindex
# pinning facts, a batch with a failing request in the middle, and every other
# step kind (bridge, master, replace, onlink, table > 255, group delete).
#
# Runs inside tools/sandbox: a fresh network namespace with only `lo`.
set -euo pipefail
. "$(dirname "$0")/sandbox-guard.sh"
: "${PODNETC_PROBE:?path of the podnetc_kernel_probe binary}"

group=20558   # kOwnedLinkGroup
proto=176     # kOwnedProtocol

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# ifindex NETNS NAME: the link's ifindex, from `ip -j`.
ifindex() {
    local ipn=(ip); [ -n "$1" ] && ipn=(ip -n "$1")
    "${ipn[@]}" -j link show dev "$2" | jq -r '.[0].ifindex'
}

links_besides_lo() {
    local ipn=(ip); [ -n "$1" ] && ipn=(ip -n "$1")
    "${ipn[@]}" -j link show | jq -r '.[] | select(.ifname != "lo") | .ifname'
}

ping_ttl() {
    local out ttl
    out=$(ip netns exec "$1" ping -n -c1 -W2 "$2" 2>&1) || fail "$1 cannot reach $2: $out"
    ttl=$(sed -n 's/.* ttl=\([0-9]*\) .*/\1/p' <<<"$out")
    [ "$ttl" = "$3" ] || fail "$1 -> $2: ttl=$ttl, expected $3"
    echo "  $1 -> $2 ttl=$ttl"
}

echo "== route.pnet, one batch per namespace"
ip netns add pod-1
ip netns add pod-2
"$PODNETC_PROBE" route-up

# What the batches made, read back with iproute2.
[ "$(ifindex "" veth1)" = 2 ] || fail "veth1 should have the pinned ifindex 2"
[ "$(ifindex "" veth2)" = 3 ] || fail "veth2 should have the pinned ifindex 3"
for pod in pod-1 pod-2; do
    [ "$(ifindex $pod eth0)" = 2 ] || fail "$pod/eth0 should have the pinned ifindex 2"
    ip -n $pod -j link show dev eth0 | jq -e ".[0].group == \"$group\" or .[0].group == $group" >/dev/null ||
        fail "$pod/eth0 is not in group $group"
    ip -n $pod -j link show dev eth0 | jq -e '.[0].flags | index("UP")' >/dev/null || fail "$pod/eth0 is not up"
    ip -n $pod -j route show default | jq -e ".[0].gateway == \"169.254.1.1\" and .[0].protocol == \"$proto\"" \
        >/dev/null || fail "$pod: no default route via 169.254.1.1 proto $proto"
    ip -n $pod -j neigh show 169.254.1.1 | jq -e '.[0].lladdr == "ee:ee:ee:ee:ee:ee" and (.[0].state | index("PERMANENT"))' \
        >/dev/null || fail "$pod: no permanent neighbour for the gateway"
done
ip -n pod-1 -j address show dev eth0 | jq -e '.[0].addr_info[] | select(.local == "10.10.1.10" and .prefixlen == 32)' \
    >/dev/null || fail "pod-1/eth0 lacks 10.10.1.10/32"
for veth in veth1 veth2; do
    ip -j link show dev $veth | jq -e '.[0].address == "ee:ee:ee:ee:ee:ee"' >/dev/null || fail "$veth mac"
    [ "$(cat /proc/sys/net/ipv4/conf/$veth/proxy_arp)" = 1 ] || fail "$veth: proxy_arp is not 1"
    [ "$(cat /proc/sys/net/ipv4/conf/$veth/forwarding)" = 1 ] || fail "$veth: forwarding is not 1"
    ip -j ntable show dev $veth name arp_cache | jq -e '.[0].proxy_delay == 0' >/dev/null ||
        fail "$veth: arp_cache proxy_delay is not 0"
done
ip -j route show 10.10.1.10 | jq -e ".[0].dev == \"veth1\" and .[0].scope == \"link\" and .[0].protocol == \"$proto\"" \
    >/dev/null || fail "host route to 10.10.1.10"
[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 0 ] || fail "ip_forward was touched"
ping_ttl pod-1 10.10.1.11 63
ping_ttl pod-2 10.10.1.10 63

echo "== inverses in reverse"
"$PODNETC_PROBE" route-down
for ns in "" pod-1 pod-2; do
    [ -z "$(links_besides_lo "$ns")" ] || fail "links left in ${ns:-host}: $(links_besides_lo "$ns")"
    ipn=(ip); [ -n "$ns" ] && ipn=(ip -n "$ns")
    [ -z "$("${ipn[@]}" route show)" ] || fail "routes left in ${ns:-host}"
    [ -z "$("${ipn[@]}" neigh show nud permanent)" ] || fail "neighbours left in ${ns:-host}"
done
ip netns delete pod-2

echo "== ifindex pinning"
"$PODNETC_PROBE" pinning
[ -z "$(links_besides_lo "")" ] || fail "pinning left links: $(links_besides_lo "")"
ip netns delete pod-1

echo "== a failing request in the middle of a batch"
"$PODNETC_PROBE" batch-error
[ -z "$(links_besides_lo "")" ] || fail "batch-error left links"
echo "== every other step kind, one batch"
"$PODNETC_PROBE" kinds-up
link() { ip -j -d link show dev "$1" | jq -c ".[0] | $2"; }
[ "$(link br0 '[.linkinfo.info_kind, .address, .group, (.flags | index("UP") != null)]')" = \
  '["bridge","02:00:00:00:00:01","20558",true]' ] || fail "br0: $(link br0 .)"
[ "$(link bp0 '[.linkinfo.info_kind, .address, .mtu, .master, .group, (.flags | index("UP") != null)]')" = \
  '["veth","02:00:00:00:00:02",1400,"br0","20558",true]' ] || fail "bp0: $(link bp0 .)"
[ "$(link bp1 '[.address, .mtu, .master, .group, (.flags | index("UP") != null)]')" = \
  '["02:00:00:00:00:03",1300,null,"20558",false]' ] || fail "bp1 (released, down): $(link bp1 .)"
ip -j address show dev br0 | jq -e '.[0].addr_info[] | select(.local == "10.50.0.1" and .prefixlen == 24)' >/dev/null ||
    fail "br0 lacks 10.50.0.1/24"
[ "$(ip -j route show table 1000 | jq -c '[.[] | [.dst, .gateway, .prefsrc, .metric, .protocol]]')" = \
  '[["10.51.0.0/24","10.50.0.3","10.50.0.1",100,"176"]]' ] || fail "table 1000: $(ip route show table 1000)"
ip -j route show 10.52.0.0/24 | jq -e '.[0].gateway == "192.0.2.9" and (.[0].flags | index("onlink"))' >/dev/null ||
    fail "onlink route: $(ip route show 10.52.0.0/24)"
[ "$(ip -j neigh show dev br0 10.50.0.9 | jq -c '.[0] | [.lladdr, .state, .protocol]')" = \
  "[\"02:00:00:00:00:0a\",[\"PERMANENT\"],\"$proto\"]" ] || fail "replaced neighbour (protocol kept): $(ip neigh show dev br0)"
"$PODNETC_PROBE" kinds-down
[ -z "$(links_besides_lo "")" ] || fail "the group delete left links: $(links_besides_lo "")"
[ -z "$(ip route show table all type unicast)" ] || fail "routes left: $(ip route show table all type unicast)"
echo "netlink-encode: all passed"
