#!/bin/bash
# Build scsi_resfence.ko against the newest kernel Debian 12 offers, the
# linux-headers-amd64 of bookworm-backports (6.12 as of writing), so that the
# later-kernel branches of kmod/compat.h are compiled somewhere: the lab
# boots 6.1 only. A warning fails the build as an error would. Nothing is
# installed and the machine's apt configuration is not touched: a private
# sources list and apt state under the cache, `apt-get download`, `dpkg -x`.
# The headers are cached in ~/.cache/resfence/headers/<version>/, keyed by the
# backports metapackage's version (resolved each run, never hard-coded).
#   tests/build/kmod-newer-kernel.sh     prints PASS/FAIL kmod-build-<abi>
# Exit 0 pass, 1 fail. RESFENCE_NEWER_SUITE picks another suite of Debian's
# archive (default bookworm-backports).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${RESFENCE_CACHE:-$HOME/.cache/resfence}
SUITE=${RESFENCE_NEWER_SUITE:-bookworm-backports}
BUILD_DIR=${RESFENCE_BUILD:-$ROOT/build}
LOG_DIR=${RESFENCE_LOG_DIR:-$BUILD_DIR/test-logs}
mkdir -p "$LOG_DIR"
# apt's output and the build's apart: the build's is searched for warnings.
aptlog=$LOG_DIR/kmod-newer-kernel.apt.log
log=$LOG_DIR/kmod-newer-kernel.log
: >"$aptlog"
: >"$log"

fail() {
	local f=$log
	[ -s "$f" ] || f=$aptlog
	echo "FAIL kmod-build-${abi:-$SUITE}: $*"
	[ ! -s "$f" ] || tail -n 30 "$f" | sed 's/^/    /'
	exit 1
}

# The suite's package lists, private to the cache (refreshed on every run:
# a new backports kernel should be noticed).
apt_dir=$CACHE/headers/apt-$SUITE
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $SUITE main" \
	>"$apt_dir/sources.list"
apt_opts=(
	-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir" -o "Dir::Cache::Archives=$apt_dir/archives"
	-o Dir::State::status=/dev/null -o Debug::NoLocking=1 -o APT::Sandbox::User=root
)
apt-get -qq "${apt_opts[@]}" update >>"$aptlog" 2>&1 || fail "apt-get update of $SUITE failed"

# dep_of PKG PATTERN: the Depends entry of PKG (in SUITE) matching PATTERN.
dep_of() {
	apt-cache "${apt_opts[@]}" show "$1" 2>>"$aptlog" | sed -n 's/^Depends: //p' | head -n 1 |
		tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -E -m 1 -- "$2"
}
# The suite's newest (the installed packages are out of view: status is
# /dev/null above).
meta_ver=$(apt-cache "${apt_opts[@]}" show linux-headers-amd64 2>>"$aptlog" | sed -n 's/^Version: //p' |
	sort -V | tail -n 1)
headers=$(dep_of "linux-headers-amd64=$meta_ver" '^linux-headers-') || :
[ -n "$meta_ver" ] && [ -n "$headers" ] || fail "no linux-headers-amd64 in $SUITE"
abi=${headers#linux-headers-}
common=$(dep_of "$headers" '^linux-headers-.*-common$') || :
kbuild=$(dep_of "$headers" '^linux-kbuild-') || :
[ -n "$common" ] && [ -n "$kbuild" ] || fail "cannot resolve the dependencies of $headers"

dir=$CACHE/headers/$abi-$meta_ver
if [ ! -f "$dir/.complete" ]; then
	rm -rf "$dir"
	mkdir -p "$dir/debs"
	(cd "$dir/debs" && apt-get -q "${apt_opts[@]}" download "$headers" "$common" "$kbuild") >>"$aptlog" 2>&1 ||
		fail "apt-get download $headers $common $kbuild failed"
	for d in "$dir"/debs/*.deb; do
		dpkg -x "$d" "$dir/root"
	done
	rm -rf "$dir/debs"
	# The arch directory's Makefile includes the common one by its
	# installed path; point it into the extracted tree.
	sed -i "s|^include /usr/src/|include $dir/root/usr/src/|" "$dir/root/usr/src/$headers/Makefile"
	touch "$dir/.complete"
fi
kdir=$dir/root/usr/src/$headers

# A copy of the sources: the tree's own kmod/ build (for the lab) is untouched.
work=$(mktemp -d "${TMPDIR:-/tmp}/resfence-newer.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Sources only: objects of the 6.1 build must not be taken for this one's.
cp -r "$ROOT/kmod" "$ROOT/include" "$work/"
rm -rf "$work/kmod/tests"
find "$work/kmod" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' -o \
	-name '.*.cmd' -o -name Module.symvers -o -name modules.order \) -delete
make -C "$kdir" M="$work/kmod" modules >>"$log" 2>&1 || fail "the module does not build against $abi (see $log)"
if grep -Ei 'warning:|error:' "$log" | grep -v 'Skipping BTF' >/dev/null; then
	fail "the module builds against $abi with warnings (see $log)"
fi
magic=$(modinfo -F vermagic "$work/kmod/scsi_resfence.ko" | cut -d' ' -f1)
[ "$magic" = "$abi" ] || fail "built for '$magic', expected $abi"
echo "PASS kmod-build-$abi (linux-headers-amd64 $meta_ver from $SUITE)"
