#!/bin/bash
# The deletion budget against the real kernel (inside tools/sandbox): on a node with
# 10 pods, a file keeping 2 of them (80% deleted) is refused as a whole, naming how
# many, the first few and the flag, and changes nothing; a file keeping 8 (the default
# 25% allows 2) applies; `--max-delete 6` lets the 80% deletion through.
set -euo pipefail
source "$(dirname "$0")/lib/apply_lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$PODNETC_SOURCE_DIR/tools/gen-pods" 10 > "$work/ten.pnet"
"$PODNETC" apply "$work/ten.pnet" > /dev/null || fail "apply ten.pnet"
[ "$(pod_namespaces | wc -l)" = 10 ] || fail "ten.pnet made $(pod_namespaces | wc -l) pods"
snapshot "$work/before"

# keep N: ten.pnet without the pod lines of pod-(N+1)..pod-10.
keep() {
    python3 - "$work/ten.pnet" "$1" <<'PY'
import re, sys
path, keep = sys.argv[1], int(sys.argv[2])
for line in open(path):
    m = re.match(r"\s*pod pod-(\d+)\b", line)
    if m and int(m.group(1)) > keep:
        continue
    sys.stdout.write(line)
PY
}
keep 2 > "$work/two.pnet"
keep 8 > "$work/eight.pnet"

status=0
"$PODNETC" apply "$work/two.pnet" > "$work/out" 2> "$work/err" || status=$?
[ "$status" = 1 ] || fail "apply two.pnet exited $status, expected 1: $(cat "$work/out" "$work/err")"
grep -qE "deletes 8 of 10 owned pods \((pod-([3-9]|10), ){4}pod-([3-9]|10), …\), more than --max-delete 25% allows \(2\)" \
    "$work/err" || fail "the refusal does not say it: $(cat "$work/err")"
grep -qF "apply --max-delete 8" "$work/err" || fail "the refusal does not name the flag: $(cat "$work/err")"
snapshot "$work/after"
same_snapshot "$work/before" "$work/after" "the refused apply"

"$PODNETC" apply "$work/eight.pnet" > /dev/null || fail "apply eight.pnet (2 of 10 deleted) was refused"
[ "$(pod_namespaces | wc -l)" = 8 ] || fail "eight.pnet left $(pod_namespaces | wc -l) pods"
"$PODNETC" apply --max-delete 6 "$work/two.pnet" > /dev/null || fail "apply --max-delete 6 two.pnet"
[ "$(pod_namespaces | wc -l)" = 2 ] || fail "two.pnet left $(pod_namespaces | wc -l) pods"
"$PODNETC" destroy --yes "$work/two.pnet" > /dev/null || fail "destroy"
echo "apply-budget: ok"
