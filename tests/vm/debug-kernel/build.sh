#!/bin/sh
# Build (or find in the cache) the debug kernel: Debian's linux-source-6.1,
# `make tinyconfig` plus the fragments in config/, with KUnit, KASAN,
# lockdep, debug objects, kmemleak and UBSAN.
#
#   tests/vm/debug-kernel/build.sh     -> prints the cache directory, e.g.
#       ~/.cache/resfence/debug-kernel/6.1.192-2-0123456789ab
#   containing
#       linux/                  the kept build tree: make -C linux M=$PWD/kmod
#       vmlinuz                 a copy of linux/arch/x86/boot/bzImage
#       root/lib/modules/<release>/   modules_install output, depmod'ed
#                               (the layout of tests/vm/kernel.sh's Debian image)
#       kernelrelease           e.g. 6.1.192-resfence-debug
#       build-seconds           wall time of the cold build that made it
#   build.sh --config-only  configure and verify the fragments, build nothing
#
# The key is the source package version plus a hash of everything that
# shapes the result (fragments, compiler, recipe version), so a change to a
# fragment builds a new tree and an unchanged one is a cache hit.
# CPU: 2 jobs at nice 19, never more; the machine is shared.
set -eu

config_only=0
[ "${1:-}" = "--config-only" ] && config_only=1

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
cache=${RESFENCE_CACHE:-$HOME/.cache/resfence}
tarball=/usr/src/linux-source-6.1.tar.xz
jobs=2
# Bump when the steps below change in a way that changes the result.
recipe=1

log() { echo "debug-kernel: $*" >&2; }
die() { log "error: $*"; exit 1; }

[ -r "$tarball" ] || die "$tarball missing (scripts/setup.sh installs linux-source-6.1)"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
	die "linux-source-6.1 is not installed (run scripts/setup.sh)"

# The debug kernel must be the same upstream release as the Debian headers
# the production module is built against, or it tests a different kernel.
abi=$("$top/scripts/kdir.sh" --abi)
hdrver=$(dpkg-query -W -f='${Version}' "linux-headers-$abi" 2>/dev/null) ||
	die "linux-headers-$abi is not installed"
[ "${srcver%-*}" = "${hdrver%-*}" ] ||
	die "linux-source-6.1 is $srcver but linux-headers-$abi is $hdrver: upgrade both (apt-get install linux-source-6.1 linux-headers-amd64)"

fragments=$(ls "$here"/config/*.config | LC_ALL=C sort)
hash=$( {
	echo "recipe $recipe base tinyconfig"
	gcc --version | head -n1
	for f in $fragments; do echo "== ${f##*/}"; cat "$f"; done
} | sha256sum | cut -c1-12)

dir=$cache/debug-kernel/$srcver-$hash
tree=$dir/linux
if [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi

mkdir -p "$cache/debug-kernel"
# One builder per key; a second caller waits and then finds the cache warm.
exec 9>"$cache/debug-kernel/.lock-$srcver-$hash"
flock 9
if [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi

start=$(date +%s)
mkdir -p "$dir"
if [ ! -f "$dir/.extracted" ]; then
	log "extracting $tarball ($srcver) into $tree"
	rm -rf "$tree"
	mkdir -p "$tree"
	tar -xJf "$tarball" -C "$tree" --strip-components=1
	touch "$dir/.extracted"
fi

kmake() { nice -n 19 make -C "$tree" -j"$jobs" "$@"; }

log "configuring: tinyconfig +$(for f in $fragments; do printf ' %s' "${f##*/}"; done)"
# Kconfig chatter (choice overrides are expected: PREEMPT, SLUB, ...) is
# kept in config.log and shown only if a step fails.
{
	kmake -s tinyconfig &&
		# -m: merge only; olddefconfig then resolves dependencies once.
		(cd "$tree" && ./scripts/kconfig/merge_config.sh -m .config $fragments) &&
		kmake -s olddefconfig
} >"$dir/config.log" 2>&1 || {
	cat "$dir/config.log" >&2
	die "configuring the kernel failed"
}

# Every fragment line must have stuck. olddefconfig silently drops an option
# whose dependencies are unmet; a debug kernel without KASAN that claims to
# have it would pass everything and prove nothing.
bad=0
for f in $fragments; do
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF "$line" "$tree/.config" || {
				got=$(grep -E "^(# )?${line%%=*}[= ]" "$tree/.config" || echo "absent")
				log "option did not stick: $line (${f##*/}); .config has: $got"
				bad=1
			}
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			if grep -qE "^$sym=" "$tree/.config"; then
				log "option did not stick: $line (${f##*/}); .config has: $(grep -E "^$sym=" "$tree/.config")"
				bad=1
			fi
			;;
		esac
	done <"$f"
done
[ "$bad" -eq 0 ] || die "config fragments did not apply (see above); fix config/*.config"
log "config verified: every fragment option is set"
[ "$config_only" -eq 0 ] || exit 0

log "building bzImage and modules with $jobs jobs at nice 19 (cold builds take long; see README)"
kmake bzImage modules >"$dir/build.log" 2>&1 || {
	tail -n 40 "$dir/build.log" >&2
	die "kernel build failed; full log in $dir/build.log"
}
rm -rf "$dir/root"
kmake -s modules_install INSTALL_MOD_PATH="$dir/root" INSTALL_MOD_STRIP=1 >/dev/null
kmake -s kernelrelease >"$dir/kernelrelease"
krel=$(cat "$dir/kernelrelease")
depmod -b "$dir/root" "$krel"
cp "$tree/arch/x86/boot/bzImage" "$dir/vmlinuz"

end=$(date +%s)
echo $((end - start)) >"$dir/build-seconds"
touch "$dir/.complete"
log "built $krel in $((end - start)) s: $dir"
echo "$dir"
