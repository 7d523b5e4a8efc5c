#!/bin/sh
# Build (once, cached) the anchor's part of the guest initramfs: what
# Debian's fence_scsi_check needs to run in a guest the way the watchdog
# daemon runs it. python3 with its standard library (no test suite, IDLE,
# Tk, ensurepip, lib2to3), pexpect, ptyprocess and pycurl (fencing.py
# imports them), fence-agents' fencing.py and fence_scsi_check from Debian's
# fence-agents package (fetched with apt-get download and unpacked once into
# ~/.cache/resfence/fence-agents/VERSION/: it is not installed on the host),
# and every library they link. Appended only for "# lab-needs: anchor" (vm.sh):
# tests/bench/ only, never make check.
# Prints the path of the cpio (~/.cache/resfence/initramfs/anchor-<hash>.cpio).
set -eu
VM_DIR=$(cd "$(dirname "$0")" && pwd)
. "$VM_DIR/common.sh"

PY=/usr/bin/python3.11
PACKAGES="python3.11-minimal libpython3.11-stdlib python3-pexpect python3-ptyprocess
python3-pycurl fence-agents"
fa=$(ls -d "$CACHE"/fence-agents/*/ 2>/dev/null | sort | tail -n 1)
if [ -z "$fa" ] || [ ! -f "$fa/usr/share/cluster/fence_scsi_check" ]; then
	dl=$(mktemp -d "${TMPDIR:-/tmp}/resfence-fa.XXXXXX")
	(cd "$dl" && apt-get download fence-agents >/dev/null) ||
		vm_die "apt-get download fence-agents failed"
	deb=$(ls "$dl"/fence-agents_*.deb)
	ver=$(dpkg-deb -f "$deb" Version)
	mkdir -p "$CACHE/fence-agents/$ver"
	dpkg -x "$deb" "$CACHE/fence-agents/$ver"
	rm -rf "$dl"
	fa=$CACHE/fence-agents/$ver/
fi
for p in "$PY" /usr/lib/python3/dist-packages/pexpect /usr/lib/python3/dist-packages/ptyprocess; do
	[ -e "$p" ] || vm_die "$p is not installed (scripts/setup.sh installs python3-pexpect, python3-pycurl)"
done
ls /usr/lib/python3/dist-packages/pycurl.*.so >/dev/null 2>&1 ||
	vm_die "pycurl is not installed (scripts/setup.sh installs python3-pycurl)"
key=$({
	cat "$0"
	echo "$fa"
	# shellcheck disable=SC2086
	dpkg-query -W $PACKAGES 2>/dev/null
} | sha256sum | cut -c1-16)
out="$CACHE/initramfs/anchor-$key.cpio"
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi
lock_cache "$CACHE/initramfs/.lock-anchor"
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi
vm_log "building anchor initramfs part $out"
stage=$(mktemp -d "${TMPDIR:-/tmp}/resfence-anchor.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cd "$stage"

# Only usr/ and var/ entries: the base holds the /lib -> usr/lib style links.
mkdir -p usr/bin usr/lib/python3/dist-packages usr/share/fence usr/share/cluster var/run/cluster
cp -L "$PY" usr/bin/python3.11
ln -s python3.11 usr/bin/python3
tar -C /usr/lib -cf - --exclude=python3.11/test --exclude=python3.11/idlelib \
	--exclude=python3.11/tkinter --exclude=python3.11/ensurepip --exclude=python3.11/lib2to3 \
	--exclude='python3.11/config-*' python3.11 | tar -C usr/lib -xf -
for d in pexpect ptyprocess curl; do
	cp -a "/usr/lib/python3/dist-packages/$d" usr/lib/python3/dist-packages/
done
cp -L /usr/lib/python3/dist-packages/pycurl.*.so usr/lib/python3/dist-packages/
cp "$fa/usr/share/fence/fencing.py" usr/share/fence/
cp "$fa/usr/share/cluster/fence_scsi_check" usr/share/cluster/
# Libraries of the interpreter and of every extension module.
{
	ldd "$PY"
	for so in usr/lib/python3.11/lib-dynload/*.so usr/lib/python3/dist-packages/pycurl.*.so; do
		ldd "$so" 2>/dev/null || :
	done
} | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p' | sort -u | while read -r lib; do
	rel=${lib#/usr}
	dest=usr/lib/${rel#/lib/}
	mkdir -p "$(dirname "$dest")"
	[ -e "$dest" ] || cp -L "$lib" "$dest"
done

mkdir -p "$CACHE/initramfs"
find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet >"$out.tmp"
mv "$out.tmp" "$out"
find "$CACHE/initramfs" -name 'anchor-*.cpio' -mtime +7 -delete 2>/dev/null || :
echo "$out"
