#!/bin/sh
# Build scsi_resfence.ko and its KUnit module scsi_resfence_kunit.ko against
# the debug kernel's tree, in a copy of kmod/ under build/debug-kernel/, so
# the objects `make kmod` made in kmod/ for the Debian kernel stay valid
# (kbuild writes its objects next to the sources; two kernels, one directory,
# would rebuild each other's objects on every switch).
#
#   build-kmod.sh [KERNEL_CACHE_DIR]   -> prints the directory holding
#                                         scsi_resfence.ko and tests/scsi_resfence_kunit.ko
# KERNEL_CACHE_DIR defaults to what build.sh prints.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
kdir=${1:-$("$here/build.sh")}
out=${RESFENCE_BUILD:-$top/build}/debug-kernel/src

# Mirror kmod/ and include/ with their timestamps, so that kbuild rebuilds
# only what changed; sources deleted upstream are deleted here too.
mirror() {
	mkdir -p "$out/$1"
	(cd "$top/$1" && find . -type f \( -name '*.c' -o -name '*.h' -o -name Kbuild -o -name Makefile \) -print) |
		LC_ALL=C sort >"$out/.want-$1"
	(cd "$out/$1" && find . -type f \( -name '*.c' -o -name '*.h' -o -name Kbuild -o -name Makefile \) -print) |
		LC_ALL=C sort | comm -13 "$out/.want-$1" - | (cd "$out/$1" && xargs -r rm -f)
	(cd "$top/$1" && xargs cp -p --parents -t "$out/$1") <"$out/.want-$1"
	rm -f "$out/.want-$1"
}
mirror kmod
mirror include

nice -n 19 make -s -C "$kdir/linux" M="$out/kmod" -j2 modules >&2 || {
	echo "debug-kernel: building the module against $kdir/linux failed" >&2
	exit 1
}
[ -f "$out/kmod/scsi_resfence.ko" ] || { echo "debug-kernel: no scsi_resfence.ko built" >&2; exit 1; }
[ -f "$out/kmod/tests/scsi_resfence_kunit.ko" ] ||
	{ echo "debug-kernel: no tests/scsi_resfence_kunit.ko built (is kmod/Kbuild's CONFIG_KUNIT hook there?)" >&2; exit 1; }
echo "$out/kmod"
