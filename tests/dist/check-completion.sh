#!/bin/bash
# Sources dist/bash-completion/podnetc and drives _podnetc through COMP_WORDS and
# COMP_CWORD as bash does on TAB: commands, per-command flags and values, topology
# files, and the node names of the file on the line (.pnet and TOML). With PODNETC
# (the binary) as $2, also: `podnetc COMMAND --` offers exactly the options of
# `podnetc COMMAND --help` (and --help), so the completion cannot fall behind the command line.
set -euo pipefail
source "$1"
podnetc=${2:+$(realpath "$2")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir sub
printf 'network n mode route subnet 10.0.0.0/24\nnode worker-1 {\n  pod a on n address 10.0.0.2\n}\n  node  worker-2{\n}\n' >two.pnet
printf '[[node]]\nname = "edge-1"\n[[node]]\nname = "edge-2"\n' >nodes.toml
: >notes.txt
failures=0

# expect WANT WORD...: completing the last WORD gives exactly WANT (sorted, space-separated).
expect() {
    local want=$1
    shift
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _podnetc || true  # compgen fails when nothing matches, as on a real TAB
    local got
    got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//')
    if [ "$got" != "$want" ]; then
        echo "FAIL: '$*' completes to '$got', expected '$want'"
        failures=$((failures + 1))
    fi
}

expect "check compile" podnetc c
expect "agent apply" podnetc a
expect "--node" podnetc plan two.pnet --n
expect "--detailed-exitcode" podnetc plan two.pnet --d
expect "--drift" podnetc agent two.pnet --dr
expect "worker-1 worker-2" podnetc compile two.pnet --node ""
expect "worker-2" podnetc apply two.pnet --node worker-2
expect "edge-1 edge-2" podnetc agent nodes.toml --node e
expect "" podnetc compile --node ""
expect "ip ir" podnetc compile two.pnet --emit i
expect "netlink" podnetc plan two.pnet --emit n
expect "enforce report" podnetc agent two.pnet --drift ""
expect "nodes.toml sub two.pnet" podnetc check ""
expect "--lock-timeout" podnetc recover --l
if [ -n "$podnetc" ]; then
    for command in $("$podnetc" --help | sed -n '/^commands:/,/^$/s/^  \([a-z]\{1,\}\) .*/\1/p'); do
        options=$("$podnetc" "$command" --help | sed -n '/^options:/,/^$/s/^  \(--[a-z-]*\).*/\1/p'; echo --help)
        options=$(echo "$options" | sort -u | tr '\n' ' ')
        expect "${options% }" podnetc "$command" --
    done
fi
echo "${failures} failures"
[ "$failures" -eq 0 ]
