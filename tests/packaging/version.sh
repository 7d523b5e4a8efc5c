#!/bin/bash
# The module's version has one place, kmod/version.h; every other place that
# states it must agree: the staged dkms.conf, debian/changelog, resfencectl's
# CMake project version, and MODULE_VERSION in the built kmod/scsi_resfence.ko.
#   tests/packaging/version.sh      PASS/FAIL package-version; exit 0 or 1
# Changes nothing on the machine (no root needed).
set -eu
. "$(dirname "$0")/lib.sh"
name=package-version
bad=()

stage=$(mktemp -d "${TMPDIR:-/tmp}/resfence-version.XXXXXX")
trap 'rm -rf "$stage"' EXIT
src=$("$ROOT/scripts/dkms-source.sh" "$stage")
[ "$src" = "$stage/usr/src/$DKMS_NAME-$VERSION" ] || bad+=("dkms source staged as $src")
dkms_v=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$src/dkms.conf")
[ "$dkms_v" = "$VERSION" ] || bad+=("dkms.conf PACKAGE_VERSION '$dkms_v'")
deb_v=$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version)
deb_v=${deb_v%-*} # the upstream part (the package is native: no revision)
[ "$deb_v" = "$VERSION" ] || bad+=("debian/changelog '$deb_v'")
cmake_v=$(sed -n 's/^project(resfencectl VERSION \([^ ]*\) .*/\1/p' "$ROOT/userspace/CMakeLists.txt")
[ "$cmake_v" = "$VERSION" ] || bad+=("userspace/CMakeLists.txt project VERSION '$cmake_v'")
ko=$ROOT/kmod/scsi_resfence.ko
if [ -f "$ko" ]; then
	ko_v=$(modinfo -F version "$ko")
	[ "$ko_v" = "$VERSION" ] || bad+=("modinfo of kmod/scsi_resfence.ko: '$ko_v'")
else
	bad+=("kmod/scsi_resfence.ko is not built (make kmod)")
fi

if [ ${#bad[@]} -gt 0 ]; then
	echo "FAIL $name: kmod/version.h says $VERSION, but:"
	printf '    %s\n' "${bad[@]}"
	exit 1
fi
echo "PASS $name ($VERSION: kmod/version.h, dkms.conf, debian/changelog, CMakeLists.txt, modinfo)"
