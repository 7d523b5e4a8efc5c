#!/bin/sh
# Build (once, cached) the part of the guest initramfs that comes from Debian
# packages: busybox, kmod, sg3-utils, setpriv, the shared libraries they and
# resfencectl need, and the kernel modules the lab loads, with their
# dependency closure and a fresh modules.dep. Prints the path of the cpio.
# The per-run part (init, helpers, module, tool, scenario) is a second cpio
# appended to this one by initramfs-run.sh: the kernel unpacks both.
set -eu
VM_DIR=$(cd "$(dirname "$0")" && pwd)
. "$VM_DIR/common.sh"

# Modules the guest can load; modprobe resolves their dependencies. The LIO
# ones are the single-guest shared LUN, virtio ones the two-guest iSCSI disk,
# iscsi_tcp/virtio_net the kernel-initiator variant (crc32c for its digests), scsi_debug/loop/brd give
# scenarios disks without reservations or without SCSI at all; ramoops keeps
# fence records over a restart ("# lab-pstore:", host-lib.sh); ext4 (which
# mounts ext2 too) a filesystem on a held disk (unit-hold-mount); dm_mod,
# dm_multipath and dm_round_robin the multipath maps that dmsetup builds over
# several tcm_loop paths of one LU (multipath-hold).
MODULES="scsi_mod sd_mod sg virtio_pci virtio_scsi virtio_net
configfs target_core_mod target_core_file tcm_loop
iscsi_tcp crc32c_generic scsi_debug loop brd ramoops ext4
dm_mod dm_multipath dm_round_robin"

# Dynamically linked host programs copied in (with their libraries).
# iscsistart (open-iscsi's boot-time login tool) logs a guest in with the
# kernel's own iSCSI initiator (host-lib.sh: lab_initiator kernel).
# dmsetup builds multipath maps without multipathd or udev.
PROGRAMS="/bin/kmod /usr/bin/setpriv /usr/sbin/iscsistart /usr/sbin/dmsetup"
# Libraries resfencectl links against, so the per-run cpio stays small.
LIBS="libnl-3.so.200 libnl-genl-3.so.200 libstdc++.so.6 libgcc_s.so.1 libm.so.6"
# Packages whose files end up in the image: their versions key the cache.
PACKAGES="busybox-static kmod sg3-utils util-linux libc6 libnl-3-200
libnl-genl-3-200 libstdc++6 libgcc-s1 libsgutils2-1.46-2 libcap-ng0
open-iscsi libopeniscsiusr libkmod2 libssl3 dmsetup libdevmapper1.02.1
libselinux1 libudev1 libpcre2-8-0"

# The kernel: the one vm_prepare chose, or by default the Debian one.
kdir=${LAB_KERNEL_DIR:-$("$VM_DIR/kernel.sh")}
abi=${LAB_KREL:-$("$ROOT/scripts/kdir.sh" --abi)}
key=$({
	cat "$0"
	echo "$kdir $abi"
	# shellcheck disable=SC2086
	dpkg-query -W $PACKAGES 2>/dev/null
} | sha256sum | cut -c1-16)
out="$CACHE/initramfs/base-$key.cpio"
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi

lock_cache "$CACHE/initramfs/.lock"
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi
vm_log "building base initramfs $out"
stage=$(mktemp -d "${TMPDIR:-/tmp}/resfence-base.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cd "$stage"

# Debian 12 is merged-/usr; mirror it so the paths ldd prints just work.
mkdir -p usr/bin usr/sbin usr/lib/x86_64-linux-gnu usr/lib64 \
	proc sys dev tmp run root mnt etc var/target/pr
ln -s usr/bin bin
ln -s usr/sbin sbin
ln -s usr/lib lib
ln -s usr/lib64 lib64

cp /bin/busybox usr/bin/busybox
for applet in $(/bin/busybox --list-full); do
	[ -e "$applet" ] || [ -L "$applet" ] || ln -s /usr/bin/busybox "$applet"
done

# copy_elf FILE: copy FILE to the same path inside the image, replacing a
# busybox applet link of that name, and record it for the library scan.
copy_elf() {
	rm -f ".$1"
	cp -L "$1" ".$1"
	echo "$1" >>"$stage/.elves"
}
: >"$stage/.elves"
for p in $PROGRAMS; do
	copy_elf "$p"
done
# The real kmod, not busybox's: its modprobe is what the kernel runs for
# request_module() (genl family autoload) and what the tests assert on.
for tool in modprobe insmod rmmod lsmod depmod modinfo; do
	rm -f "sbin/$tool" "bin/$tool"
	ln -s /bin/kmod "sbin/$tool"
done
for f in $(dpkg -L sg3-utils | grep '^/usr/bin/.'); do
	# Only ELF programs: the shell scripts in the package need bash.
	[ "$(head -c 4 "$f" | tail -c 3)" = "ELF" ] && copy_elf "$f"
done
for l in $LIBS; do
	copy_elf "/lib/x86_64-linux-gnu/$l"
done

# Shared libraries of everything copied, and the dynamic loader.
# shellcheck disable=SC2046
ldd $(cat "$stage/.elves") 2>/dev/null |
	sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' |
	sort -u >"$stage/.libs"
while read -r lib; do
	[ -e ".$lib" ] || cp -L "$lib" ".$lib"
done <"$stage/.libs"
rm -f "$stage/.elves" "$stage/.libs"

# Kernel modules: the closure from the cached image's modules.dep.
src="$kdir/root"
for m in $MODULES; do
	# A kernel that builds one in prints "builtin NAME" (skipped below);
	# one that lacks it entirely gets a guest where loading it fails.
	modprobe -d "$src" -S "$abi" --show-depends "$m" ||
		vm_log "warning: $abi has no module $m"
done | sed -n 's/^insmod \([^ ]*\).*/\1/p' | sort -u | while read -r ko; do
	rel=${ko#"$src"}
	mkdir -p ".$(dirname "$rel")"
	# Debian 6.1 ships plain .ko files; decompress if a later one does not,
	# so the guest needs no decompressor and depmod sees plain names.
	case $ko in
	*.ko.xz) xz -dc "$ko" >".${rel%.xz}" ;;
	*.ko.zst) zstd -qdc "$ko" >".${rel%.zst}" ;;
	*.ko.gz) gzip -dc "$ko" >".${rel%.gz}" ;;
	*) cp "$ko" ".$rel" ;;
	esac
	echo "${rel#/lib/modules/"$abi"/}" | sed 's/\.ko\..*$/.ko/' >>"$stage/.order"
done
# depmod wants modules.order (it ranks aliases by it).
mv "$stage/.order" "lib/modules/$abi/modules.order"
mkdir -p "lib/modules/$abi"
for f in modules.builtin modules.builtin.modinfo; do
	[ ! -f "$src/lib/modules/$abi/$f" ] || cp "$src/lib/modules/$abi/$f" "lib/modules/$abi/"
done
depmod -b "$stage" "$abi"

cat >etc/passwd <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
PASSWD
cat >etc/group <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP

mkdir -p "$CACHE/initramfs"
find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet >"$out.tmp"
mv "$out.tmp" "$out"
# Entries of other keys are from older package versions or recipes.
find "$CACHE/initramfs" -name 'base-*.cpio' -mtime +7 -delete 2>/dev/null || :
echo "$out"
