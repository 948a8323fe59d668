#!/bin/bash
# What apply, destroy and recover report (inside tools/sandbox): --json prints one
# podnetc-result/1 document on stdout (operations with their source and status,
# per-namespace counts, verification, errors with file:line:col); --quiet prints
# nothing on success; the human output lists the operations and ends with the
# summary line; destroy without --yes and without a terminal changes nothing and
# exits 64; destroy --node N needs no file; a rolled-back apply says so in JSON.
set -euo pipefail
source "$(dirname "$0")/lib/apply_lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$examples/route.pnet" "$work/route.pnet"

echo "== apply --json"
"$PODNETC" apply "$work/route.pnet" --json > "$work/apply.json" 2> "$work/err" || fail "apply --json: $(cat "$work/err")"
python3 - "$work/apply.json" <<'PY' || fail "apply --json document: $(cat "$work/apply.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["format"] == "podnetc-result/1" and r["command"] == "apply", r
assert r["outcome"] == "applied" and r["exit_status"] == 0 and r["rolled_back"] is False, r
ops = r["operations"]
assert ops and all(op["status"] == "applied" for op in ops), ops
assert all(op["source"]["file"].endswith("route.pnet") and op["source"]["line"] > 0 for op in ops), ops
assert sum(n["applied"] for n in r["namespaces"]) == len(ops), r["namespaces"]
assert r["summary"]["create"] == len(ops), r["summary"]
assert r["verification"] == {"passed": True, "probes": None, "problems": []}, r["verification"]
assert r["errors"] == [] and isinstance(r["milliseconds"], int), r
PY

echo "== apply with nothing to do: human output, then --quiet"
shows "^No changes. The node matches" "$PODNETC" apply "$work/route.pnet"
out=$("$PODNETC" apply "$work/route.pnet" --quiet 2>&1) || fail "apply --quiet"
[ -z "$out" ] || fail "apply --quiet printed: $out"

echo "== a changed file: the operations are listed, the summary line ends the output"
sed 's/10.10.1.11/10.10.1.12/' "$work/route.pnet" > "$work/changed.pnet"
"$PODNETC" apply "$work/changed.pnet" > "$work/out" || fail "apply changed"
grep -q "changed.pnet:[0-9]*:[0-9]*" "$work/out" || fail "apply lists no operations: $(cat "$work/out")"
tail -n1 "$work/out" | grep -q "^Applied [0-9]* operations\? in " || fail "apply does not end with its summary: $(cat "$work/out")"

echo "== a rolled-back apply in JSON"
status=0
PODNETC_TEST_FAIL_AT=1 "$PODNETC_SWITCHED" apply "$work/route.pnet" --json > "$work/rb.json" 2> /dev/null || status=$?
[ "$status" = 3 ] || fail "apply with a fault exited $status, expected 3"
python3 - "$work/rb.json" <<'PY' || fail "rolled-back document: $(cat "$work/rb.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["outcome"] == "rolled_back" and r["rolled_back"] is True and r["exit_status"] == 3, r
assert [op["status"] for op in r["operations"]][:1] == ["failed"], r["operations"]
assert r["errors"] and r["errors"][0]["severity"] == "error", r["errors"]
assert r["namespaces"] == [], r["namespaces"]
PY

echo "== check --json: an error with its location"
printf 'network pods mode route subnet 10.10.1.0/24\npod p1 on nowhere address 10.10.1.10\n' > "$work/bad.pnet"
status=0
"$PODNETC" check "$work/bad.pnet" --json > "$work/check.json" 2> /dev/null || status=$?
[ "$status" = 1 ] || fail "check of a bad file exited $status"
python3 - "$work/check.json" <<'PY' || fail "check document: $(cat "$work/check.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["command"] == "check" and r["outcome"] == "errors", r
e = r["errors"][0]
assert e["source"]["file"].endswith("bad.pnet") and e["source"]["line"] == 2 and e["source"]["col"] > 0, e
PY

echo "== destroy without --yes and without a terminal: refused, exit 64, nothing changed"
status=0
"$PODNETC" destroy "$work/changed.pnet" < /dev/null > /dev/null 2> "$work/err" || status=$?
[ "$status" = 64 ] || fail "destroy without --yes exited $status, expected 64"
grep -q -- "--yes" "$work/err" || fail "destroy without --yes does not name the flag: $(cat "$work/err")"
"$PODNETC" plan "$work/changed.pnet" --detailed-exitcode > /dev/null || fail "destroy without --yes changed the node"

echo "== destroy --node without a file, --json"
"$PODNETC" destroy --node "$PODNETC_NODE" --yes --json > "$work/destroy.json" || fail "destroy --node"
python3 - "$work/destroy.json" <<'PY' || fail "destroy document: $(cat "$work/destroy.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["command"] == "destroy" and r["outcome"] == "applied" and r["node"], r
assert r["operations"] and all(op["status"] == "applied" for op in r["operations"]), r["operations"]
assert r["summary"]["delete"] == len(r["operations"]), r["summary"]
PY
nothing_owned "destroy --node"
shows "^Nothing to destroy" "$PODNETC" destroy --node "$PODNETC_NODE" --yes

echo "== recover --json with nothing to recover"
shows '"outcome": "nothing_to_recover"' "$PODNETC" recover --json
