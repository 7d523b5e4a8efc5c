#!/bin/sh
# Build (once, cached) the iscsid part of the guest initramfs, from Debian's
# open-iscsi package: iscsid (the initiator's recovery daemon: it logs a
# dropped connection in again) and iscsiadm (node records, logins), with the
# libraries they link. Appended to the base image only for a scenario whose
# "# lab-needs:" says iscsid (vm.sh); with it, iscsi_login (guest/lib.sh)
# logs in through iscsid instead of iscsistart, which has no recovery.
# Prints the path of the cpio (~/.cache/resfence/initramfs/iscsid-<hash>.cpio).
set -eu
VM_DIR=$(cd "$(dirname "$0")" && pwd)
. "$VM_DIR/common.sh"

PROGRAMS="/usr/sbin/iscsid /usr/sbin/iscsiadm"
PACKAGES="open-iscsi libopeniscsiusr libisns0 libssl3 libmount1 libkmod2 libsystemd0
libblkid1 libselinux1 libzstd1 liblzma5 libcap2 libgcrypt20 liblz4-1 libpcre2-8-0
libgpg-error0"

for p in $PROGRAMS; do
	[ -x "$p" ] || vm_die "$p is not installed (scripts/setup.sh installs open-iscsi)"
done
key=$({
	cat "$0"
	# shellcheck disable=SC2086
	dpkg-query -W $PACKAGES 2>/dev/null
} | sha256sum | cut -c1-16)
out="$CACHE/initramfs/iscsid-$key.cpio"
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi
mkdir -p "$CACHE/initramfs"
lock_cache "$CACHE/initramfs/.lock-iscsid"
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi
vm_log "building iscsid initramfs part $out"
stage=$(mktemp -d "${TMPDIR:-/tmp}/resfence-iscsid.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cd "$stage"

# Only usr/ entries: the base holds the /lib -> usr/lib style links, which
# a directory entry here would replace.
mkdir -p usr/sbin
for p in $PROGRAMS; do
	cp -L "$p" ".$p"
done
# shellcheck disable=SC2086
ldd $PROGRAMS | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p' | sort -u | while read -r lib; do
	rel=${lib#/usr}
	dest=usr/lib/${rel#/lib/}
	mkdir -p "$(dirname "$dest")"
	cp -L "$lib" "$dest"
done

find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet >"$out.tmp"
mv "$out.tmp" "$out"
find "$CACHE/initramfs" -name 'iscsid-*.cpio' -mtime +7 -delete 2>/dev/null || :
echo "$out"
