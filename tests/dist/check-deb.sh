#!/bin/sh
# Builds the .deb in BUILD_DIR (cpack -G DEB), lists it, runs lintian (any error
# fails; warnings are printed and docs/PACKAGING.md says why each is left), unpacks
# it into a throwaway root and runs the packaged podnetc --version from there, and
# checks that the binary is stripped, the units, man pages and completion are in,
# and no test binary is.
set -eu
build=$1
cd "$build"
rm -f podnetc_*.deb
cpack -G DEB >cpack.log 2>&1 || { cat cpack.log; echo "FAIL: cpack -G DEB"; exit 1; }
deb=$(ls podnetc_*.deb)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

dpkg-deb -c "$deb" >"$root.list"
cat "$root.list"
for path in ./usr/bin/podnetc ./usr/lib/systemd/system/podnetc-agent.service \
            ./usr/lib/systemd/system/podnetc-apply.service ./usr/lib/systemd/system/podnetc-apply.timer \
            ./usr/share/man/man1/podnetc.1.gz ./usr/share/man/man5/podnetc.pnet.5.gz \
            ./usr/share/bash-completion/completions/podnetc \
            ./usr/share/doc/podnetc/copyright ./usr/share/doc/podnetc/changelog.Debian.gz; do
    grep -q " $path\$" "$root.list" || fail "$path is not in $deb"
done
! grep -E "test-switches|_tests|kernel_probe|bench" "$root.list" || fail "a test binary is in $deb"
rm -f "$root.list"

dpkg-deb -f "$deb" Depends | grep -q "libmnl0" || fail "Depends has no libmnl0 (dpkg-shlibdeps did not run)"
echo "Depends: $(dpkg-deb -f "$deb" Depends)"

lintian --tag-display-limit 0 "$deb" >lintian.log 2>&1 || true
cat lintian.log
! grep -q "^E:" lintian.log || fail "lintian reports errors on $deb"

dpkg-deb -x "$deb" "$root"
file "$root/usr/bin/podnetc" | grep -q ", stripped" || fail "usr/bin/podnetc is not stripped"
"$root/usr/bin/podnetc" --version | grep -q "^podnetc " || fail "the packaged podnetc --version does not run"
zcat "$root/usr/share/man/man1/podnetc.1.gz" | grep -q '^\.TH "podnetc" "1"' || fail "podnetc.1.gz is not a man page"
echo "ok: $deb, $(du -k "$deb" | cut -f1) KiB, podnetc $(du -k "$root/usr/bin/podnetc" | cut -f1) KiB stripped"
