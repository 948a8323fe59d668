#!/bin/bash
# tools/bench --quick (3 pods, 1 repeat, both modes) runs every installed method,
# checks each topology, and prints a table with a row of times for each of them; a
# method that is not installed must say "skipped:", never show numbers. No timing is
# asserted. Runs inside tools/sandbox (ctest), where the harness must not nest.
set -euo pipefail
. "$(dirname "$0")/sandbox-guard.sh"
src=${PODNETC_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
podnetc=${PODNETC:-$src/build/podnetc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "bench-smoke: $*" >&2; exit 1; }

# Which methods are installed, found independently of the harness.
installed=(article ip-batch)
[ -x /usr/lib/cni/ptp ] && [ -x /usr/lib/cni/bridge ] && [ -x /usr/lib/cni/host-local ] \
    && installed+=(cni)
/usr/bin/python3 -c 'import pyroute2' 2>/dev/null && installed+=(pyroute2)
command -v cc >/dev/null && [ -f /usr/include/libmnl/libmnl.h ] && installed+=(floor)
[ -x "$podnetc" ] && "$podnetc" apply --help >/dev/null 2>&1 \
    && "$podnetc" destroy --help >/dev/null 2>&1 && installed+=(podnetc)

start=$(date +%s%N)
status=0
"$src/tools/bench" --quick --podnetc "$podnetc" --csv "$work/bench.csv" \
    >"$work/report.md" 2>"$work/log" || status=$?
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
if [ "$status" -ne 0 ]; then
    cat "$work/log" "$work/report.md" >&2
    fail "tools/bench --quick exited $status"
fi
grep -q '^bench: inside a sandbox already' "$work/log" \
    || fail "the harness did not recognise the sandbox it runs in"

number='[0-9]+\.[0-9]+'
cell="$number / $number"
for mode in route bridge; do
    # the mode's table: from its heading to the next heading
    table=$(sed -n "/^### $mode mode/,/^### /p" "$work/report.md")
    [ -n "$table" ] || fail "no $mode table in the report"
    for method in podnetc article ip-batch cni pyroute2 floor; do
        if [[ " ${installed[*]} " == *" $method "* ]]; then
            printf '%s\n' "$table" | grep -Eq "^\| $method \| $cell \| $cell \|$" \
                || fail "$mode: no times for installed method $method"
            for phase in apply teardown; do
                grep -Eq "^$mode,3,$method,$phase,1,$number," "$work/bench.csv" \
                    || fail "CSV: no $mode $phase sample for $method"
            done
        else
            printf '%s\n' "$table" | grep -Eq "^\| $method \| skipped: " \
                || fail "$mode: $method is not installed but not reported as skipped"
        fi
    done
done
grep -q "^Machine: [0-9]* CPUs" "$work/report.md" || fail "no machine description"
echo "bench-smoke: ok (${installed[*]}; $((elapsed_ms / 1000)).$((elapsed_ms % 1000 / 100)) s)"
