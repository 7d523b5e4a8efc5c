#!/bin/sh
# Build (once, cached) the benchmarks' part of the guest initramfs: Debian's
# fio and every library it links (librbd, libceph-common, libicu: ~80 MB,
# which is why it is not in the base image). Appended to the base image only
# for a boot whose "# lab-needs:" says bench (vm.sh), as Pacemaker's part is
# for "pacemaker"; tests/bench/ uses it, make check never does.
# Prints the path of the cpio (~/.cache/resfence/initramfs/bench-<hash>.cpio).
set -eu
VM_DIR=$(cd "$(dirname "$0")" && pwd)
. "$VM_DIR/common.sh"

PROGRAMS="/usr/bin/fio"
# Their versions key the cache (the libraries' packages come with fio's).
PACKAGES="fio libaio1 librbd1 librados2 libibverbs1 librdmacm1 libnuma1
libglusterfs0 libgfapi0 libpmem1 libnfs13 libcurl3-gnutls libicu72"

for p in $PROGRAMS; do
	[ -x "$p" ] || vm_die "$p is not installed (scripts/setup.sh installs fio)"
done
key=$({
	cat "$0"
	# shellcheck disable=SC2086
	dpkg-query -W $PACKAGES 2>/dev/null
	# shellcheck disable=SC2086
	ldd $PROGRAMS | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p'
} | sha256sum | cut -c1-16)
out="$CACHE/initramfs/bench-$key.cpio"
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi
lock_cache "$CACHE/initramfs/.lock-bench"
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi
vm_log "building benchmark initramfs part $out"
stage=$(mktemp -d "${TMPDIR:-/tmp}/resfence-bench.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cd "$stage"

# Only usr/ entries: the base holds the /lib -> usr/lib style links, which a
# directory entry here would replace.
mkdir -p usr/bin
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

mkdir -p "$CACHE/initramfs"
find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet >"$out.tmp"
mv "$out.tmp" "$out"
find "$CACHE/initramfs" -name 'bench-*.cpio' -mtime +7 -delete 2>/dev/null || :
echo "$out"
