#!/bin/sh
# Build the small per-run cpio appended to the cached base: /init, the guest
# helpers, the scenario, and whatever of the project's build exists now
# (kmod/scsi_resfence.ko, resfencectl and its shared libraries, and the
# test-only raw netlink client resfence-nlraw and the fuzzer resfence-fuzz
# built next to it).
#   initramfs-run.sh OUT.cpio [SCENARIO]
# Environment: RESFENCE_KO (the module, default kmod/scsi_resfence.ko),
# RESFENCE_EXTRA_KO (more modules for extra/, space separated: the KUnit
# module), LAB_KREL (the kernel release, default the Debian ABI).
set -eu
VM_DIR=$(cd "$(dirname "$0")" && pwd)
. "$VM_DIR/common.sh"

out=$1
scenario=${2:-}
abi=${LAB_KREL:-$("$ROOT/scripts/kdir.sh" --abi)}
stage=$(mktemp -d "${TMPDIR:-/tmp}/resfence-run.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/usr/lib/resfence" "$stage/usr/sbin"
cp "$VM_DIR/guest/init" "$stage/init"
cp "$VM_DIR/guest/lib.sh" "$VM_DIR/guest/agent.sh" "$stage/usr/lib/resfence/"
# The debug kernel's guest-side checks (kmemleak); a no-op on Debian's kernel.
if [ -f "$VM_DIR/debug-kernel/guest-checks.sh" ]; then
	cp "$VM_DIR/debug-kernel/guest-checks.sh" "$stage/usr/lib/resfence/debug-checks.sh"
fi
chmod 755 "$stage/init"
# The systemd unit the resfence package ships: unit-hold-mount runs its
# commands (the guest has no systemd).
cp "$ROOT/systemd/resfence-hold@.service" "$stage/usr/lib/resfence/"
[ -z "$scenario" ] || cp "$scenario" "$stage/scenario.sh"

for ko in $KMOD_KO ${RESFENCE_EXTRA_KO:-}; do
	[ -f "$ko" ] || continue
	# A module built against other headers (KDIR=...) cannot load here:
	# say so now rather than as an insmod error inside the guest.
	magic=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
	[ "$magic" = "$abi" ] || vm_die "$ko is built for $magic, the lab boots $abi"
	mkdir -p "$stage/usr/lib/modules/$abi/extra"
	cp "$ko" "$stage/usr/lib/modules/$abi/extra/"
done
# copy_bin NAME PATH: the program at PATH as /usr/sbin/NAME, with its libraries.
copy_bin() {
	# Without debug info: a tenth of the size, so less to copy and unpack
	# on every boot.
	strip --strip-debug -o "$stage/usr/sbin/$1" "$2"
	# Libraries the base image may lack (the base already has libnl and
	# libstdc++; a duplicate in an appended cpio simply replaces the file).
	ldd "$2" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p' | while read -r lib; do
		case $lib in
		/lib/* | /usr/lib/*) ;;
		*) vm_die "$1 links $lib outside /lib and /usr/lib" ;;
		esac
		rel=${lib#/usr}
		dest=$stage/usr/lib/${rel#/lib/}
		mkdir -p "$(dirname "$dest")"
		cp -L "$lib" "$dest"
	done
}
[ ! -x "$TOOL_BIN" ] || copy_bin resfencectl "$TOOL_BIN"
# The test-only raw netlink client, built next to the tool.
nlraw=$(dirname "$TOOL_BIN")/resfence-nlraw
[ ! -x "$nlraw" ] || copy_bin resfence-nlraw "$nlraw"
# The test-only netlink fuzzer (netlink-fuzz, tests/bench/netlink-fuzz.sh).
fuzz=$(dirname "$TOOL_BIN")/resfence-fuzz
[ ! -x "$fuzz" ] || copy_bin resfence-fuzz "$fuzz"
# The Pacemaker fence agent, where the fencer looks for agents (/usr/sbin).
agent=$(dirname "$TOOL_BIN")/fence_resfence
[ ! -x "$agent" ] || copy_bin fence_resfence "$agent"

# Only usr/ and files: the base holds the /lib -> usr/lib style links, which
# a directory entry here would replace.
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$out"
