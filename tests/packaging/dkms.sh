#!/bin/bash
# DKMS from the checkout, as an administrator without the Debian package would:
# dkms add (the tree scripts/dkms-source.sh stages), build and install for
# the Debian kernel headers the project resolves (scripts/kdir.sh), then
# `dkms status` must say installed and modinfo of the installed file must show
# kmod/version.h's version and that kernel's vermagic; `dkms remove --all`
# (and removing the copied source) must leave nothing behind.
#   tests/packaging/dkms.sh      PASS/FAIL dkms-source; exit 0, 1, or 77 (not root)
# Root only; cleans up on every exit, and first removes what an earlier run
# left. Nothing is loaded: DKMS builds and copies the file, no more.
set -eu
. "$(dirname "$0")/lib.sh"
name=dkms-source
log=$LOG_DIR/packaging-dkms.log
: >"$log"
need_root "$name"
pkg_lock

fail() {
	echo "FAIL $name: $*"
	tail -n 20 "$log" | sed 's/^/    /'
	exit 1
}

stage=$(mktemp -d "${TMPDIR:-/tmp}/resfence-dkms.XXXXXX")
trap 'pkg_cleanup; rm -rf "$stage"' EXIT
# An interrupted run cleans up too (the EXIT trap runs on these exits).
trap 'exit 130' INT TERM HUP
pkg_cleanup
left=$(pkg_leftovers)
[ -z "$left" ] || fail "an earlier install cannot be removed: $left"

src=$("$ROOT/scripts/dkms-source.sh" "$stage")
dkms add "$src" >>"$log" 2>&1 || fail "dkms add $src failed"
dkms build "$DKMS_NAME/$VERSION" -k "$ABI" >>"$log" 2>&1 || fail "dkms build for $ABI failed"
dkms install "$DKMS_NAME/$VERSION" -k "$ABI" >>"$log" 2>&1 || fail "dkms install for $ABI failed"

status=$(dkms status "$DKMS_NAME/$VERSION" -k "$ABI" 2>>"$log")
echo "dkms status: $status" >>"$log"
case $status in
"$DKMS_NAME/$VERSION, $ABI, "*": installed"*) ;;
*) fail "dkms status says '$status', not installed for $ABI" ;;
esac
ko=/lib/modules/$ABI/updates/dkms/scsi_resfence.ko
[ -f "$ko" ] || fail "no $ko after dkms install"
v=$(modinfo -F version "$ko")
[ "$v" = "$VERSION" ] || fail "modinfo $ko: version '$v', kmod/version.h says $VERSION"
magic=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
[ "$magic" = "$ABI" ] || fail "modinfo $ko: vermagic '$magic', expected $ABI"

dkms remove "$DKMS_NAME/$VERSION" --all >>"$log" 2>&1 || fail "dkms remove failed"
rm -rf "/usr/src/$DKMS_NAME-$VERSION" # the copy `dkms add PATH` made
left=$(pkg_leftovers)
[ -z "$left" ] || fail "left behind after dkms remove: ${left//$'\n'/; }"
echo "PASS $name ($DKMS_NAME/$VERSION built and installed for $ABI, removed)"
