#!/bin/sh
# Checks dist/systemd/*.{service,timer} with `systemd-analyze verify` offline
# (systemd is not PID 1 here). verify needs the units under a root that also
# holds systemd's own units (sysinit.target …) and the ExecStart binary, so a
# throwaway root is built. verify exits 0 on unknown keys and only prints them,
# so any output is a failure too; a deliberately broken copy proves that.
set -eu
units_dir=$1
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/etc/systemd/system" "$root/usr/lib/systemd" "$root/usr/bin"
cp -a /lib/systemd/system "$root/usr/lib/systemd/"
: >"$root/usr/bin/podnetc"
chmod +x "$root/usr/bin/podnetc"
cp "$units_dir"/*.service "$units_dir"/*.timer "$root/etc/systemd/system/"

verify() {
    SYSTEMD_LOG_LEVEL=info systemd-analyze verify --man=no --root="$root" "$@" 2>&1
}

units=$(cd "$units_dir" && ls *.service *.timer)
out=$(verify $units) || { echo "$out"; echo "FAIL: systemd-analyze verify failed"; exit 1; }
[ -z "$out" ] || { echo "$out"; echo "FAIL: systemd-analyze verify reported problems"; exit 1; }

sed "s/^Type=/Typo=/" "$units_dir/podnetc-apply.service" \
    >"$root/etc/systemd/system/broken.service"
out=$(verify broken.service || true)
echo "$out" | grep -q "Unknown key 'Typo'" \
    || { echo "$out"; echo "FAIL: a misspelt key went unreported"; exit 1; }
echo "ok: $units"
