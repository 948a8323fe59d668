#!/bin/sh
# podnetc.1.scd cannot fall behind the command line: every command that
# `podnetc --help` lists must have an entry (`*COMMAND*` at the start of a line) and
# every option that `podnetc COMMAND --help` prints (in its usage, options or
# details) must appear in the page as `*--OPTION*`.
set -eu
podnetc=$1
page=$2
commands=$("$podnetc" --help | sed -n '/^commands:/,/^$/s/^  \([a-z]\{1,\}\) .*/\1/p')
[ -n "$commands" ] || { echo "FAIL: no commands found in podnetc --help"; exit 1; }
missing=0 checked=0
for command in $commands; do
    grep -q "^\*$command\*" "$page" || { echo "missing command: $command"; missing=$((missing + 1)); }
    options=$("$podnetc" "$command" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
    for option in $options; do
        checked=$((checked + 1))
        grep -qF -- "*$option*" "$page" || { echo "missing in $page: podnetc $command $option"; missing=$((missing + 1)); }
    done
done
echo "$checked options of $(echo $commands | wc -w) commands checked, $missing missing"
[ "$missing" -eq 0 ]
