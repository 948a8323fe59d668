#!/bin/bash
# podnetc show against a real kernel (run inside tools/sandbox, see tests/CMakeLists.txt).
# Builds the article's bridge and route topologies with plain `ip` (eth0 created
# directly in each pod's namespace), a veth pair between two pods, a veth into an
# unnamed namespace and a stale /run/netns file; marks some objects with podnetc's
# ownership markers; then checks what `show --json`, the text form and --as pnet say.
set -euo pipefail
. "$(dirname "$0")/sandbox-guard.sh"
: "${PODNETC:?set PODNETC to the podnetc binary}"
state_dir=${PODNETC_STATE_DIR:-/run/podnetc}
work=$(mktemp -d)
ghost_pid=
cleanup() {
    [ -n "$ghost_pid" ] && kill "$ghost_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

expect_line() {  # FILE LINE: the file has exactly this line
    if ! grep -qxF -- "$2" "$1"; then
        printf 'show.test: expected the line\n  %s\nin %s:\n' "$2" "$(basename "$1")" >&2
        cat "$1" >&2
        exit 1
    fi
}

# iproute2 6.1 cannot set IFA_PROTO: add an address with podnetc's marker by hand.
add_owned_address() {  # NETNS DEV A.B.C.D/LEN
    ip netns exec "$1" python3 - "$2" "$3" <<'PY'
import socket, struct, sys
dev, prefix = sys.argv[1], sys.argv[2]
addr, length = prefix.split("/")
index = socket.if_nametoindex(dev)
raw = socket.inet_aton(addr)
def attr(kind, payload):
    size = 4 + len(payload)
    return struct.pack("HH", size, kind) + payload + b"\0" * ((4 - size % 4) % 4)
body = struct.pack("BBBBI", socket.AF_INET, int(length), 0x80, 0, index)
body += attr(2, raw) + attr(1, raw) + attr(11, struct.pack("B", 176))  # IFA_LOCAL, IFA_ADDRESS, IFA_PROTO
RTM_NEWADDR, NLM_F_REQUEST, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL = 20, 1, 4, 0x400, 0x200
message = struct.pack("IHHII", 16 + len(body), RTM_NEWADDR,
                      NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 1, 0) + body
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.send(message)
error = struct.unpack("i", s.recv(4096)[16:20])[0]
sys.exit(f"RTM_NEWADDR: errno {-error}" if error else 0)
PY
}

# --- bridge (flannel style), with the gateway address on cbr0 ---------------------
ip link add cbr0 type bridge
ip link set cbr0 up
ip addr add 10.10.1.1/24 dev cbr0
for i in 1 2; do
    ip netns add "pod-b$i"
    ip link add "vb$i" type veth peer name eth0 netns "pod-b$i"
    ip link set "vb$i" master cbr0 up
    ip -n "pod-b$i" addr add "10.10.1.1$i/24" dev eth0
    ip -n "pod-b$i" link set eth0 up
    ip -n "pod-b$i" route add default via 10.10.1.1 dev eth0
done
# A veth pair between the two bridged pods (a one-pair mesh).
ip -n pod-b1 link add m12 type veth peer name m21 netns pod-b2

# --- route (calico style); pod-r1 is marked as podnetc's ----------------------------
for i in 1 2; do
    ip netns add "pod-r$i"
    ip link add "vr$i" type veth peer name eth0 netns "pod-r$i"
    ip link set "vr$i" up
    echo 1 > "/proc/sys/net/ipv4/conf/vr$i/proxy_arp"
    echo 1 > "/proc/sys/net/ipv4/conf/vr$i/forwarding"
    ip -n "pod-r$i" link set eth0 up
done
ip link set vr1 address ee:ee:ee:ee:ee:ee group 20558
ip -n pod-r1 link set eth0 group 20558
ip ntable change name arp_cache dev vr1 proxy_delay 0
add_owned_address pod-r1 eth0 10.10.2.10/32
ip -n pod-r2 addr add 10.10.2.11/32 dev eth0
ip route add 10.10.2.10/32 dev vr1 scope link proto 176
ip route add 10.10.2.11/32 dev vr2 scope link
ip -n pod-r1 route add 169.254.1.1/32 dev eth0 scope link proto 176
ip -n pod-r1 route add default via 169.254.1.1 dev eth0 proto 176
ip -n pod-r1 neigh add 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee dev eth0 nud permanent protocol 176
ip -n pod-r2 route add default via 169.254.1.1 dev eth0 onlink
mkdir -p "$state_dir/netns"
touch "$state_dir/netns/pod-r1"

# --- oddities: a veth into a namespace without a name, a stale namespace file -------
unshare --net sleep 600 &
ghost_pid=$!
sleep 0.2
ip link add ghost type veth peer name inside
ip link set inside netns "$ghost_pid"
touch /run/netns/stale

# --- show --json ----------------------------------------------------------------------
"$PODNETC" show --json > "$work/state.json"
python3 - "$work/state.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["format"] == "podnetc-state/1"
assert doc["ip_forward"] is False, doc.get("ip_forward")
spaces = {n["name"]: n for n in doc["namespaces"]}

def check(cond, what):
    if not cond:
        sys.exit(f"show.test: {what}")

check(sorted(spaces) == ["", "pod-b1", "pod-b2", "pod-r1", "pod-r2", "stale"], f"namespaces {sorted(spaces)}")
check([n for n, v in spaces.items() if v["owned"]] == ["pod-r1"], "only pod-r1 is registered")
check("not a network namespace" in spaces["stale"].get("unreadable", ""), "stale file reported unreadable")

def links(ns):
    return {l["name"]: l for l in spaces[ns]["links"]}

def peer(link):
    p = link.get("peer")
    return (p["netns"], p["name"]) if p else None

host = links("")
check(sorted(host) == ["cbr0", "ghost", "lo", "vb1", "vb2", "vr1", "vr2"], f"host links {sorted(host)}")
check(host["cbr0"]["kind"] == "bridge" and "master" not in host["cbr0"], "cbr0 is a bridge")
for i in (1, 2):
    vb, vr = host[f"vb{i}"], host[f"vr{i}"]
    check(vb["kind"] == "veth" and peer(vb) == (f"pod-b{i}", "eth0") and vb["master"] == "cbr0", f"vb{i}: {vb}")
    check(vb["bridge_port"]["state"] == "forwarding" and vb["bridge_port"]["learning"], f"vb{i} port settings")
    check(peer(vr) == (f"pod-r{i}", "eth0") and "master" not in vr, f"vr{i}: {vr}")
    check(vr["proxy_arp"] is True and vr["forwarding"] is True, f"vr{i} devconf")
    check("up" in vr["flags"] and "lower_up" in vr["flags"], f"vr{i} flags {vr['flags']}")
    check(links(f"pod-b{i}")["eth0"]["operstate"] == "up", f"pod-b{i}/eth0 operstate")
    check(peer(links(f"pod-b{i}")["eth0"]) == ("", f"vb{i}"), f"pod-b{i}/eth0 peer")
    check(peer(links(f"pod-r{i}")["eth0"]) == ("", f"vr{i}"), f"pod-r{i}/eth0 peer")
check(host["vr1"]["proxy_delay_ms"] == 0 and host["vr2"]["proxy_delay_ms"] == 800, "proxy_delay per device")
check(host["vr1"]["mac"] == "ee:ee:ee:ee:ee:ee", "vr1 MAC")
check(peer(host["ghost"]) == ("?", ""), f"ghost's peer is in an unnamed namespace: {host['ghost']}")
check(peer(links("pod-b1")["m12"]) == ("pod-b2", "m21") and peer(links("pod-b2")["m21"]) == ("pod-b1", "m12"),
      "pod-to-pod veth pair")
check(sorted(links("pod-b1")) == ["eth0", "lo", "m12"], "pod-b1 links")

owned_links = sorted(f"{ns}/{l['name']}" for ns, v in spaces.items() for l in v["links"] if l["owned"])
check(owned_links == ["/vr1", "pod-r1/eth0"], f"owned links {owned_links}")
check(all((l.get("group") == 20558) == l["owned"] for v in spaces.values() for l in v["links"]), "owned == group")

def addresses(ns):
    return {(a["dev"], a["local"]): a for a in spaces[ns]["addresses"]}

check(("cbr0", "10.10.1.1/24") in addresses(""), "bridge address")
check(set(addresses("pod-b1")) == {("eth0", "10.10.1.11/24")}, f"pod-b1 addresses {set(addresses('pod-b1'))}")
r1 = addresses("pod-r1")[("eth0", "10.10.2.10/32")]
check(r1["protocol"] == 176 and r1["protocol_name"] == "podnetc" and r1["owned"], f"owned address {r1}")
check(not addresses("pod-r2")[("eth0", "10.10.2.11/32")]["owned"], "foreign address")

def routes(ns):
    return {(r["dst"], r.get("dev", ""), r.get("gateway")): r for r in spaces[ns]["routes"]}

check(all(r["table"] != "local" for v in spaces.values() for r in v["routes"]), "local table left out")
h = routes("")
check(h[("10.10.2.10/32", "vr1", None)]["owned"] and h[("10.10.2.10/32", "vr1", None)]["scope"] == "link", "host route owned")
check(not h[("10.10.2.11/32", "vr2", None)]["owned"], "host route foreign")
check(h[("10.10.1.0/24", "cbr0", None)]["protocol_name"] == "kernel", "prefix route of the bridge address")
p1 = routes("pod-r1")
check(set(p1) == {("169.254.1.1/32", "eth0", None), ("0.0.0.0/0", "eth0", "169.254.1.1")}, f"pod-r1 routes {set(p1)}")
check(all(r["owned"] for r in p1.values()), "pod-r1 routes owned")
check(routes("pod-r2")[("0.0.0.0/0", "eth0", "169.254.1.1")]["flags"] == ["onlink"], "onlink flag")
check(routes("pod-b1")[("0.0.0.0/0", "eth0", "10.10.1.1")]["scope"] == "global", "bridge pod default route")

n = spaces["pod-r1"]["neighbors"]
check(len(n) == 1 and n[0]["dst"] == "169.254.1.1" and n[0]["lladdr"] == "ee:ee:ee:ee:ee:ee"
      and n[0]["state"] == ["permanent"] and n[0]["protocol"] == 176 and n[0]["owned"], f"neighbour {n}")
check(all(not v["neighbors"] for k, v in spaces.items() if k != "pod-r1"), "no other permanent neighbours")
PY

# The snapshot reads back, and shows the same through --state-from.
"$PODNETC" show --state-from "$work/state.json" --json > "$work/again.json"
cmp "$work/state.json" "$work/again.json"

# --- text -------------------------------------------------------------------------------
"$PODNETC" show > "$work/show.txt"
expect_line "$work/show.txt" '  link vr1 veth peer pod-r1/eth0 up mac ee:ee:ee:ee:ee:ee proxy_arp forwarding proxy_delay 0ms  [owned]'
expect_line "$work/show.txt" '  link vb1 veth peer pod-b1/eth0 master cbr0 up mac '"$(ip -br link show vb1 | awk '{print $3}')"'  [foreign]'
expect_line "$work/show.txt" 'namespace pod-r1  [owned]'
expect_line "$work/show.txt" '  neighbor 169.254.1.1 dev eth0 lladdr ee:ee:ee:ee:ee:ee  [owned]'
expect_line "$work/show.txt" '  route default via 169.254.1.1 dev eth0 proto boot onlink  [foreign]'
if grep -q 'proto kernel' "$work/show.txt"; then echo "show.test: kernel routes shown without --all" >&2; exit 1; fi
"$PODNETC" show --all > "$work/all.txt"
expect_line "$work/all.txt" '  route 10.10.1.0/24 dev cbr0 scope link proto kernel src 10.10.1.1  [foreign]'

# --- one namespace ---------------------------------------------------------------------
"$PODNETC" show --json --netns pod-r1 > "$work/one.json"
python3 - "$work/one.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
names = [n["name"] for n in doc["namespaces"]]
assert names == ["pod-r1"], names
assert "ip_forward" not in doc
assert doc["namespaces"][0]["links"][0]["peer"] == {"netns": "", "name": "vr1"}
PY
status=0
"$PODNETC" show --netns nope 2> "$work/err" || status=$?
expect_line "$work/err" "podnetc: error: there is no namespace 'nope' in /run/netns"
[ "$status" = 1 ] || { echo "show.test: --netns nope exited with $status, expected 1" >&2; exit 1; }

# --- as pnet ------------------------------------------------------------------------------
"$PODNETC" show --as pnet > "$work/adopt.pnet"
expect_line "$work/adopt.pnet" 'network cbr0 mode bridge subnet 10.10.1.0/24 gateway 10.10.1.1 adopt'
expect_line "$work/adopt.pnet" 'network pods mode route subnet 10.10.2.0/24'
expect_line "$work/adopt.pnet" 'pod pod-r1 adopt on pods address 10.10.2.10/32 host-veth vr1'
expect_line "$work/adopt.pnet" 'pod pod-b1 adopt on cbr0 address 10.10.1.11/24 host-veth vb1'
expect_line "$work/adopt.pnet" "pod pod-r2 adopt on pods address 10.10.2.11/32 host-veth vr2 host-mac $(ip -br link show vr2 | awk '{print $3}')"
# m12/m21 are not named after the peer pods, so they are reported, not guessed into a mesh.
expect_line "$work/adopt.pnet" '#   pod-b1: the veth to pod-b2 is called m12, but in a mesh it is named after the peer pod; pods pod-b1, pod-b2 not expressed'
echo "show.test: ok"
