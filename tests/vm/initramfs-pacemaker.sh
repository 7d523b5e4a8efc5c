#!/bin/sh
# Build (once, cached) the Pacemaker part of the guest initramfs, from
# Debian's pacemaker and pacemaker-cli-utils packages: the fencer
# (pacemaker-fenced), stonith_admin, their libraries, Pacemaker's schemas,
# the directories it writes, and the hacluster user. Appended to the base
# image only for a scenario whose "# lab-needs:" says pacemaker (vm.sh):
# with libicu it is ~55 MB, which every other boot would unpack for nothing.
# Prints the path of the cpio (~/.cache/resfence/initramfs/pacemaker-<hash>.cpio).
set -eu
VM_DIR=$(cd "$(dirname "$0")" && pwd)
. "$VM_DIR/common.sh"

PROGRAMS="/usr/lib/pacemaker/pacemaker-fenced /usr/sbin/stonith_admin"
# Their versions key the cache (the libraries come with pacemaker's).
PACKAGES="pacemaker pacemaker-cli-utils libcrmcommon34 libstonithd26 libcrmcluster29
libcib27 libcrmservice28 liblrmd28 libpacemaker1 libpe-rules26 libpe-status28
libqb100 libxml2 libxslt1.1 libglib2.0-0 libicu72 libgnutls30 libcpg4 libcmap4
libquorum5 libcorosync-common4 libpils2 libdbus-1-3 libsystemd0"

for p in $PROGRAMS; do
	[ -x "$p" ] || vm_die "$p is not installed (scripts/setup.sh installs pacemaker)"
done
key=$({
	cat "$0"
	# shellcheck disable=SC2086
	dpkg-query -W $PACKAGES 2>/dev/null
} | sha256sum | cut -c1-16)
out="$CACHE/initramfs/pacemaker-$key.cpio"
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi
lock_cache "$CACHE/initramfs/.lock-pacemaker"
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi
vm_log "building Pacemaker initramfs part $out"
stage=$(mktemp -d "${TMPDIR:-/tmp}/resfence-pcmk.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cd "$stage"

# Only usr/, var/ and etc/ entries: the base holds the /lib -> usr/lib
# style links, which a directory entry here would replace.
mkdir -p usr/lib/pacemaker usr/sbin usr/share etc \
	var/lib/pacemaker/cib var/lib/pacemaker/pengine var/lib/pacemaker/blackbox \
	var/lib/pacemaker/cores var/log/pacemaker
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
cp -a /usr/share/pacemaker usr/share/

# The base image's users plus Pacemaker's (its daemons look hacluster up).
cat >etc/passwd <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
hacluster:x:101:101:Pacemaker:/var/lib/pacemaker:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
PASSWD
cat >etc/group <<'GROUP'
root:x:0:
haclient:x:101:hacluster
nogroup:x:65534:
GROUP

mkdir -p "$CACHE/initramfs"
find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet >"$out.tmp"
mv "$out.tmp" "$out"
find "$CACHE/initramfs" -name 'pacemaker-*.cpio' -mtime +7 -delete 2>/dev/null || :
echo "$out"
