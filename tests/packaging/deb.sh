#!/bin/bash
# The Debian packages, built and installed for real on this machine:
#   1. dpkg-buildpackage -us -uc -b in a copy of the tree (the products land
#      next to the copy, not in the checkout's parent)
#   2. lintian at warning level: no tag (debian/ explains any it must keep)
#   3. dpkg -i resfence-dkms and resfence: the dkms postinst builds the module
#      for the installed headers; dkms status says installed for the project's
#      ABI (scripts/kdir.sh) and modinfo of the installed file shows
#      kmod/version.h's version
#   4. the unit: systemd-analyze verify of an instance of the installed
#      resfence-hold@.service says nothing; systemd-fstab-generator on a sample
#      fstab (a local and a _netdev filesystem) makes each mount require and
#      come after its hold; installing enabled no unit
#   5. the DKMS-built module is copied to build/packaging/dkms/scsi_resfence.ko
#      for the lab (tests/packaging/dkms-module.sh boots it)
#   6. dpkg --purge both: nothing of resfence is left (pkg_leftovers)
#   tests/packaging/deb.sh      PASS/FAIL deb-packages; exit 0, 1, or 77 (not root)
# Root only. Purges on every exit, and first removes what an earlier run left,
# so a failed or interrupted run is cleaned up by itself or by the next one.
# Nothing is loaded on this machine, and resfencectl only prints its help here.
set -eu
. "$(dirname "$0")/lib.sh"
name=deb-packages
log=$LOG_DIR/packaging-deb.log
: >"$log"
need_root "$name"
pkg_lock
KO_COPY=$PKG_DIR/dkms/scsi_resfence.ko # named as the module: the lab copies it by its name
rm -f "$KO_COPY"
mkdir -p "$PKG_DIR/dkms"

fail() {
	echo "FAIL $name: $*"
	tail -n 25 "$log" | sed 's/^/    /'
	exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/resfence-deb.XXXXXX")
trap 'pkg_cleanup; rm -rf "$work"' EXIT
# An interrupted run cleans up too (the EXIT trap runs on these exits).
trap 'exit 130' INT TERM HUP
pkg_cleanup
left=$(pkg_leftovers)
[ -z "$left" ] || fail "an earlier install cannot be removed: ${left//$'\n'/; }"

# 1. Build, from the tree's files as git sees them (tracked and new, without
# what .gitignore names: no build/, no objects).
mkdir "$work/src"
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
		tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$work/src"
else
	(cd "$ROOT" && tar --exclude=./build --exclude=.git -cf - .) | tar -xf - -C "$work/src"
fi
echo "== dpkg-buildpackage" >>"$log"
# Both cores for the C++ build (dh passes -jN to CMake).
(cd "$work/src" && DEB_BUILD_OPTIONS="parallel=$(nproc) ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc -b) >>"$log" 2>&1 ||
	fail "dpkg-buildpackage -us -uc -b failed"
dkms_deb=$work/resfence-dkms_${VERSION}_all.deb
tool_deb=$(ls "$work"/resfence_"${VERSION}"_*.deb 2>/dev/null | head -n 1)
[ -f "$dkms_deb" ] && [ -n "$tool_deb" ] || fail "dpkg-buildpackage made no resfence-dkms/resfence $VERSION .deb"

# 2. lintian (it warns that it runs as root: not a tag).
echo "== lintian" >>"$log"
tags=$(lintian -L '>=warning' "$work"/resfence_"${VERSION}"_*.changes 2>>"$log") || {
	echo "$tags" >>"$log"
	fail "lintian failed"
}
echo "$tags" >>"$log"
if printf '%s\n' "$tags" | grep -E '^[EW]: ' >/dev/null; then
	fail "lintian: $(printf '%s\n' "$tags" | grep -E '^[EW]: ' | head -n 5)"
fi

# 3. Install both; the resfence-dkms postinst runs DKMS.
echo "== dpkg -i" >>"$log"
dpkg -i "$dkms_deb" "$tool_deb" >>"$log" 2>&1 || fail "dpkg -i resfence-dkms resfence failed"
status=$(dkms status "$DKMS_NAME/$VERSION" -k "$ABI" 2>>"$log")
echo "dkms status: $status" >>"$log"
case $status in
"$DKMS_NAME/$VERSION, $ABI, "*": installed"*) ;;
*) fail "after dpkg -i, dkms status says '$status', not installed for $ABI" ;;
esac
ko=/lib/modules/$ABI/updates/dkms/scsi_resfence.ko
[ -f "$ko" ] || fail "no $ko after dpkg -i"
v=$(modinfo -F version "$ko")
[ "$v" = "$VERSION" ] || fail "modinfo $ko: version '$v', kmod/version.h says $VERSION"
/usr/sbin/resfencectl --help >>"$log" 2>&1 || fail "/usr/sbin/resfencectl --help failed"
[ -f /usr/share/man/man8/resfencectl.8.gz ] || fail "no resfencectl(8) installed"
[ -f /usr/share/bash-completion/completions/resfencectl ] || fail "no bash completion installed"

# 4. The unit.
echo "== systemd-analyze verify" >>"$log"
inst=$(systemd-escape --path /dev/disk/by-id/wwn-0x6001405aabbccdd)
out=$(systemd-analyze verify "resfence-hold@$inst.service" 2>&1) || fail "systemd-analyze verify: $out"
# It only warns (exit 0) about a line it cannot parse: any output is a failure.
[ -z "$out" ] || fail "systemd-analyze verify resfence-hold@$inst.service: $out"
enabled=$(find /etc/systemd/system -name 'resfence*' 2>/dev/null)
[ -z "$enabled" ] || fail "installing enabled a unit: $enabled"

echo "== systemd-fstab-generator" >>"$log"
gen=$work/generator
mkdir -p "$gen/out"
cat >"$gen/fstab" <<FSTAB
/dev/disk/by-id/wwn-0x6001405aabbccdd /srv/shared ext4 defaults,x-systemd.requires=resfence-hold@$inst.service 0 2
/dev/sdc /srv/iscsi ext4 _netdev,x-systemd.requires=resfence-hold@dev-sdc.service 0 0
FSTAB
SYSTEMD_FSTAB=$gen/fstab SYSTEMD_PROC_CMDLINE='' /lib/systemd/system-generators/systemd-fstab-generator \
	"$gen/out" "$gen/out" "$gen/out" >>"$log" 2>&1 || fail "systemd-fstab-generator failed"
# has UNIT LINE: the generated UNIT has exactly this line.
has() {
	grep -Fqx -- "$2" "$gen/out/$1" 2>/dev/null || {
		cat "$gen/out/$1" >>"$log" 2>&1
		fail "the generator's $1 has no line '$2'"
	}
}
has srv-shared.mount "Requires=resfence-hold@$inst.service"
has srv-shared.mount "After=resfence-hold@$inst.service"
has srv-shared.mount "Before=local-fs.target"
has srv-iscsi.mount "Requires=resfence-hold@dev-sdc.service"
has srv-iscsi.mount "After=resfence-hold@dev-sdc.service"
has srv-iscsi.mount "Before=remote-fs.target"
# fsck writes too: it runs after the hold (the unit's Before=systemd-fsck@).
grep -Fqx "Before=systemd-fsck@%i.service" /lib/systemd/system/resfence-hold@.service ||
	fail "resfence-hold@.service is not ordered before the disk's fsck"
has srv-shared.mount "After=systemd-fsck@$inst.service"

# 5. The module DKMS built, for the lab.
cp "$ko" "$KO_COPY"

# 6. Purge.
echo "== dpkg --purge" >>"$log"
dpkg --purge resfence resfence-dkms >>"$log" 2>&1 || fail "dpkg --purge resfence resfence-dkms failed"
left=$(pkg_leftovers)
[ -z "$left" ] || fail "left behind after dpkg --purge: ${left//$'\n'/; }"
echo "PASS $name (built, lintian clean, installed: dkms $status; unit verified; purged)"
