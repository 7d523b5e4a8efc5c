#!/bin/sh
# Build the small per-run cpio appended to the cached base: /init, the guest
# helpers, the scenario, and whatever of the project's build exists now
# (kmod/scsi_resfence.ko, resfencectl and its shared libraries).
#   initramfs-run.sh OUT.cpio [SCENARIO]
set -eu
VM_DIR=$(cd "$(dirname "$0")" && pwd)
. "$VM_DIR/common.sh"

out=$1
scenario=${2:-}
abi=$("$ROOT/scripts/kdir.sh" --abi)
stage=$(mktemp -d "${TMPDIR:-/tmp}/resfence-run.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/usr/lib/resfence" "$stage/usr/sbin"
cp "$VM_DIR/guest/init" "$stage/init"
cp "$VM_DIR/guest/lib.sh" "$VM_DIR/guest/agent.sh" "$stage/usr/lib/resfence/"
chmod 755 "$stage/init"
[ -z "$scenario" ] || cp "$scenario" "$stage/scenario.sh"

if [ -f "$KMOD_KO" ]; then
	# A module built against other headers (KDIR=...) cannot load here:
	# say so now rather than as an insmod error inside the guest.
	magic=$(modinfo -F vermagic "$KMOD_KO" | cut -d' ' -f1)
	[ "$magic" = "$abi" ] || vm_die "$KMOD_KO is built for $magic, the lab boots $abi"
	mkdir -p "$stage/usr/lib/modules/$abi/extra"
	cp "$KMOD_KO" "$stage/usr/lib/modules/$abi/extra/"
fi
if [ -x "$TOOL_BIN" ]; then
	cp "$TOOL_BIN" "$stage/usr/sbin/resfencectl"
	# Libraries the base image may lack (the base already has libnl and
	# libstdc++; a duplicate in an appended cpio simply replaces the file).
	ldd "$TOOL_BIN" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p' | while read -r lib; do
		case $lib in
		/lib/* | /usr/lib/*) ;;
		*) vm_die "resfencectl links $lib outside /lib and /usr/lib" ;;
		esac
		rel=${lib#/usr}
		dest=$stage/usr/lib/${rel#/lib/}
		mkdir -p "$(dirname "$dest")"
		cp -L "$lib" "$dest"
	done
fi

# Only usr/ and files: the base holds the /lib -> usr/lib style links, which
# a directory entry here would replace.
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$out"
