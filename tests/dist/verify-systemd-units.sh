#!/bin/sh
# Checks dist/systemd/*.{service,timer} with `systemd-analyze verify` offline
# (systemd is not PID 1 here). verify needs the units under a root that also
# holds systemd's own units (sysinit.target …) and the binaries the units
# execute (podnetc, and kill for the agent's ExecReload), so a
# throwaway root is built. verify exits 0 on unknown keys and only prints them,
# so any output is a failure too; a deliberately broken copy proves that.
set -eu
units_dir=$1
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/etc/systemd/system" "$root/usr/lib/systemd" "$root/usr/bin" "$root/bin"
cp -a /lib/systemd/system "$root/usr/lib/systemd/"
for exe in usr/bin/podnetc bin/kill; do
    : >"$root/$exe"
    chmod +x "$root/$exe"
done
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
# No unit may give podnetc a mount namespace of its own (the units' comments say why).
mount_ns_keys='ProtectSystem|ProtectHome|PrivateTmp|PrivateDevices|PrivateMounts|ReadWritePaths|ReadOnlyPaths|InaccessiblePaths|BindPaths|BindReadOnlyPaths|TemporaryFileSystem|ProtectKernelTunables|ProtectKernelModules|ProtectKernelLogs|ProtectControlGroups|ProtectProc|ProtectHostname|MountFlags|RootDirectory|RootImage'
if grep -En "^($mount_ns_keys)=" "$units_dir"/*.service; then
    echo "FAIL: an option above gives the service its own mount namespace"; exit 1
fi
echo "ok: $units"
