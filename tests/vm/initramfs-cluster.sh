#!/bin/sh
# Build (once, cached) the cluster part of the guest initramfs: Debian's
# corosync (3, knet) and Pacemaker's whole daemon set (pacemakerd and the
# daemons it starts: based, controld, schedulerd, execd, attrd, fenced), the
# command-line tools the demo drives them with (crm_mon, crm_attribute,
# cibadmin, crm_resource, stonith_admin, corosync-cfgtool...), their
# libraries, Pacemaker's schemas, the directories they write, the hacluster
# user, and a test workload as an OCF resource agent (ocf:lab:Writer,
# tests/vm/guest/ocf-writer). Appended to the base image only for a boot
# whose "# lab-needs:" says cluster (vm.sh); tests/failover/demo-pacemaker
# uses it, make check never does.
# Prints the path of the cpio (~/.cache/resfence/initramfs/cluster-<hash>.cpio).
set -eu
VM_DIR=$(cd "$(dirname "$0")" && pwd)
. "$VM_DIR/common.sh"

PROGRAMS="/usr/sbin/corosync /usr/sbin/corosync-cfgtool /usr/sbin/corosync-quorumtool
/usr/sbin/corosync-cmapctl /usr/sbin/pacemakerd
/usr/lib/pacemaker/pacemaker-based /usr/lib/pacemaker/pacemaker-controld
/usr/lib/pacemaker/pacemaker-schedulerd /usr/lib/pacemaker/pacemaker-execd
/usr/lib/pacemaker/pacemaker-attrd /usr/lib/pacemaker/pacemaker-fenced
/usr/sbin/crm_mon /usr/sbin/crm_attribute /usr/sbin/cibadmin /usr/sbin/crm_resource
/usr/sbin/crm_node /usr/sbin/crm_verify /usr/sbin/stonith_admin"
# Their versions key the cache (the libraries come with these packages').
PACKAGES="corosync libknet1 libnozzle1 libstatgrab10 pacemaker pacemaker-cli-utils
libcrmcommon34 libstonithd26 libcrmcluster29 libcib27 libcrmservice28 liblrmd28
libpacemaker1 libpe-rules26 libpe-status28 libqb100 libxml2 libxslt1.1
libglib2.0-0 libicu72 libgnutls30 libcpg4 libcmap4 libquorum5 libcfg7
libcorosync-common4 libdbus-1-3 libsystemd0"

for p in $PROGRAMS; do
	[ -x "$p" ] || vm_die "$p is not installed (scripts/setup.sh installs corosync and pacemaker)"
done
key=$({
	cat "$0" "$VM_DIR/guest/ocf-writer"
	# shellcheck disable=SC2086
	dpkg-query -W $PACKAGES 2>/dev/null
} | sha256sum | cut -c1-16)
out="$CACHE/initramfs/cluster-$key.cpio"
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi
lock_cache "$CACHE/initramfs/.lock-cluster"
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi
vm_log "building the cluster initramfs part $out"
stage=$(mktemp -d "${TMPDIR:-/tmp}/resfence-cluster.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cd "$stage"

# Only usr/, var/ and etc/ entries: the base holds the /lib -> usr/lib
# style links, which a directory entry here would replace.
mkdir -p usr/lib/pacemaker usr/sbin usr/share etc/corosync \
	var/lib/pacemaker/cib var/lib/pacemaker/pengine var/lib/pacemaker/blackbox \
	var/lib/pacemaker/cores var/log/pacemaker var/log/cluster var/lib/corosync \
	usr/lib/ocf/resource.d/lab
for p in $PROGRAMS; do
	cp -L "$p" ".$p"
done
# knet's compression and crypto plugins are dlopen()ed, not linked: the
# demo's corosync.conf uses none, but a config that asks for one finds it.
# shellcheck disable=SC2086
{
	ldd $PROGRAMS
	ldd /usr/lib/x86_64-linux-gnu/kronosnet/*.so 2>/dev/null || :
} | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p' | sort -u | while read -r lib; do
	rel=${lib#/usr}
	dest=usr/lib/${rel#/lib/}
	mkdir -p "$(dirname "$dest")"
	cp -L "$lib" "$dest"
done
mkdir -p usr/lib/x86_64-linux-gnu/kronosnet
cp -L /usr/lib/x86_64-linux-gnu/kronosnet/*.so usr/lib/x86_64-linux-gnu/kronosnet/ 2>/dev/null || :
cp -a /usr/share/pacemaker usr/share/
cp "$VM_DIR/guest/ocf-writer" usr/lib/ocf/resource.d/lab/Writer
chmod 755 usr/lib/ocf/resource.d/lab/Writer

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
find "$CACHE/initramfs" -name 'cluster-*.cpio' -mtime +7 -delete 2>/dev/null || :
echo "$out"
