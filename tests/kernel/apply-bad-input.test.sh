#!/bin/bash
# Inputs that must never empty a node (inside tools/sandbox): on a node with the
# pods of examples/route.pnet, `apply` of an empty file, of a file with only a
# network, of a directory, of a FIFO (without blocking) and of a dangling symlink
# fails with the reason and deletes nothing; `apply --allow-empty` of the empty
# file does delete them, as `destroy` would. A topology path that is not UTF-8
# applies, and an apply of it killed half way is recovered (its journal is readable).
set -euo pipefail
source "$(dirname "$0")/lib/apply_lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$PODNETC" apply "$examples/route.pnet" > /dev/null || fail "apply route.pnet"
snapshot "$work/before"

: > "$work/empty.pnet"
echo 'network pods mode route subnet 10.10.1.0/24' > "$work/no-pods.pnet"
mkdir "$work/dir.pnet"
mkfifo "$work/fifo.pnet"
ln -s "$work/gone.pnet" "$work/dangling.pnet"

# refused FILE REASON: apply exits 1, says REASON, and the node is unchanged.
refused() {
    local status=0
    timeout 20 "$PODNETC" apply "$1" > "$work/out" 2> "$work/err" || status=$?
    [ "$status" = 1 ] || fail "apply $1 exited $status, expected 1: $(cat "$work/out" "$work/err")"
    grep -qF -- "$2" "$work/err" || fail "apply $1 does not say '$2': $(cat "$work/err")"
    snapshot "$work/after"
    same_snapshot "$work/before" "$work/after" "apply $1"
}

refused "$work/empty.pnet" "declares no pods, and applying it would delete all 2 pods podnetc owns"
refused "$work/no-pods.pnet" "declares no pods"
refused "$work/dir.pnet" "podnetc: error: $work/dir.pnet: cannot read the topology: it is a directory"
refused "$work/fifo.pnet" "it is a FIFO"
refused "$work/dangling.pnet" "it is a symbolic link to '$work/gone.pnet', which does not exist"

"$PODNETC" apply --allow-empty "$work/empty.pnet" > "$work/out" || fail "apply --allow-empty: $(cat "$work/out")"
[ -z "$(pod_namespaces)" ] || fail "apply --allow-empty left pods: $(pod_namespaces)"
odd=$work/$'route-\xff.pnet'
cp "$examples/route.pnet" "$odd"
"$PODNETC" apply "$odd" > "$work/out" 2>&1 || fail "apply of a path that is not UTF-8: $(cat "$work/out")"
"$PODNETC" destroy --yes "$odd" > /dev/null || fail "destroy of a path that is not UTF-8"
status=0
PODNETC_TEST_KILL_AT=5 "$PODNETC_SWITCHED" apply "$odd" > /dev/null 2>&1 || status=$?
[ "$status" = 137 ] || fail "the killed apply exited $status, expected 137"
"$PODNETC" recover > "$work/out" 2>&1 || fail "recover after a killed apply of a path that is not UTF-8: $(cat "$work/out")"
[ -z "$(pod_namespaces)" ] || fail "recover left pods: $(pod_namespaces)"
echo "apply-bad-input: ok"
