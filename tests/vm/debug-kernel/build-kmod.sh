#!/bin/sh
# Build scsi_resfence.ko, its KUnit module scsi_resfence_kunit.ko and the
# checkers' self-test module against the debug kernel's tree, in a copy of
# the sources under build/debug-kernel/src/, so
# the objects `make kmod` made in kmod/ for the Debian kernel stay valid
# (kbuild writes its objects next to the sources; two kernels, one directory,
# would rebuild each other's objects on every switch).
#
#   build-kmod.sh [KERNEL_CACHE_DIR]   -> prints the directory holding
#       kmod/scsi_resfence.ko, kmod/tests/scsi_resfence_kunit.ko and
#       selftest/resfence_checker_selftest.ko
# KERNEL_CACHE_DIR defaults to what build.sh prints.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
kdir=${1:-$("$here/build.sh")}
out=${RESFENCE_BUILD:-$top/build}/debug-kernel/src

# Mirror kmod/ and include/ so that kbuild rebuilds only what changed: a
# file whose content differs is copied with a new timestamp (now), one that
# does not is left alone. Not cp -p: a source edited while a build ran kept
# its old timestamp in the copy, older than the object built from the
# previous copy, and kbuild kept the stale object. Sources deleted upstream
# are deleted here too.
# mirror SRC DEST: copy the sources under $top/SRC to $out/DEST.
mirror() {
	mkdir -p "$out/$2"
	(cd "$top/$1" && find . -type f \( -name '*.c' -o -name '*.h' -o -name Kbuild -o -name Makefile \) -print) |
		LC_ALL=C sort >"$out/.want"
	(cd "$out/$2" && find . -type f \( -name '*.c' -o -name '*.h' -o -name Kbuild -o -name Makefile \) -print) |
		LC_ALL=C sort | comm -13 "$out/.want" - | (cd "$out/$2" && xargs -r rm -f)
	(cd "$top/$1" && while IFS= read -r f; do
		cmp -s "$f" "$out/$2/$f" || cp --parents -t "$out/$2" "$f"
	done) <"$out/.want"
	rm -f "$out/.want"
}
mkdir -p "$out"
# One builder at a time: two runs mirroring into one tree break each other.
exec 8>"$out/.lock"
flock 8
mirror kmod kmod
mirror include include
mirror tests/vm/debug-kernel/selftest selftest

for m in kmod selftest; do
	nice -n 19 make -s -C "$kdir/linux" M="$out/$m" -j2 modules >&2 || {
		echo "debug-kernel: building $m against $kdir/linux failed" >&2
		exit 1
	}
done
[ -f "$out/kmod/scsi_resfence.ko" ] || { echo "debug-kernel: no scsi_resfence.ko built" >&2; exit 1; }
[ -f "$out/kmod/tests/scsi_resfence_kunit.ko" ] ||
	{ echo "debug-kernel: no tests/scsi_resfence_kunit.ko built (is kmod/Kbuild's CONFIG_KUNIT hook there?)" >&2; exit 1; }
echo "$out"
