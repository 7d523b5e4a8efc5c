#!/bin/sh
# Stage the module's DKMS source tree, the one `dkms add` takes and the
# resfence-dkms package ships:
#   scripts/dkms-source.sh DESTDIR   -> DESTDIR/usr/src/resfence-VERSION/
#     dkms.conf            this checkout's dkms.conf, version filled in
#     kmod/                the module's sources and Kbuild (KUnit suites too)
#     include/uapi/        the netlink ABI header kmod/Kbuild includes
# VERSION is kmod/version.h's (scripts/version.sh). Prints the staged directory.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 DESTDIR" >&2; exit 2; }
version=$("$ROOT/scripts/version.sh")
dest=$1/usr/src/resfence-$version
rm -rf "$dest"
mkdir -p "$dest/include/uapi/linux"
sed "s/#MODULE_VERSION#/$version/" "$ROOT/dkms.conf" >"$dest/dkms.conf"
cp "$ROOT/include/uapi/linux/resfence.h" "$dest/include/uapi/linux/"
# The module's sources and Kbuild files only: no objects of an earlier build.
(cd "$ROOT" && find kmod -type f \( -name '*.c' ! -name '*.mod.c' -o -name '*.h' -o -name Kbuild \)) | LC_ALL=C sort |
	while read -r f; do
		mkdir -p "$dest/$(dirname "$f")"
		cp "$ROOT/$f" "$dest/$f"
	done
chmod -R u=rwX,go=rX "$dest"
echo "$dest"
