#!/bin/sh
# Fetch the Debian kernel image that matches the headers the module is built
# against, unpack it into the cache and print the cache directory:
#   <dir>/vmlinuz, <dir>/root/lib/modules/<abi>/ (with modules.dep)
# The package is resolved from the linux-image-amd64 metapackage's Depends and
# must carry the ABI that scripts/kdir.sh --abi reports: a module built for one
# ABI will not load into another, and guessing would hide that.
set -eu
VM_DIR=$(cd "$(dirname "$0")" && pwd)
. "$VM_DIR/common.sh"

abi=$("$ROOT/scripts/kdir.sh" --abi)

# extract_vmlinux DIR: unpack the ELF kernel from the bzImage when it can boot
# through PVH (QEMU then loads it directly): under TCG that skips the
# firmware's loader and the xz decompression, about 3 s of every boot.
extract_vmlinux() {
	grep -qx 'CONFIG_PVH=y' "$1/root/boot/config-$abi" || return 0
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$1/vmlinuz" | head -n 1 | cut -d: -f1)
	[ -n "$off" ] || return 0
	if tail -c "+$((off + 1))" "$1/vmlinuz" | xz -dc --single-stream >"$1/vmlinux.tmp" 2>/dev/null &&
		[ "$(head -c 4 "$1/vmlinux.tmp" | tail -c 3)" = ELF ]; then
		mv "$1/vmlinux.tmp" "$1/vmlinux"
	else
		rm -f "$1/vmlinux.tmp"
	fi
}

# Prefer the exact version of the installed headers, so the module's symbol
# CRCs come from the same build as the kernel that loads it. The cache is
# keyed by that, so a warm run needs no apt look-up at all.
ver=$(dpkg-query -W -f='${Version}' "linux-headers-$abi")
dir="$CACHE/kernel/${abi}_$ver"
if [ -f "$dir/.complete" ] && [ -f "$dir/.pvh-checked" ]; then
	echo "$dir"
	exit 0
fi

image_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^ <>]*\)$/\1/p' | head -n 1
}

lock_cache "$CACHE/kernel/.lock"
if [ ! -f "$dir/.complete" ]; then
	pkg=$(image_pkg)
	if [ -z "$pkg" ]; then
		# A fresh machine may have no package lists yet.
		vm_log "apt knows no linux-image-amd64; running apt-get update"
		apt-get update -qq >/dev/null
		pkg=$(image_pkg)
	fi
	[ -n "$pkg" ] || vm_die "cannot resolve linux-image-amd64's Depends (apt-cache depends linux-image-amd64)"
	[ "$pkg" = "linux-image-$abi" ] ||
		vm_die "linux-image-amd64 depends on $pkg but the headers are ABI $abi: upgrade both, or point KDIR at matching headers"
	tmp=$(mktemp -d "$CACHE/kernel/.fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	vm_log "fetching $pkg=$ver"
	# apt's _apt user cannot write into root's private dirs; that warning is noise.
	if ! (cd "$tmp" && apt-get download -q "$pkg=$ver" >download.log 2>&1); then
		vm_log "$pkg=$ver is not downloadable; falling back to the candidate of the same ABI"
		(cd "$tmp" && apt-get download -q "$pkg" >download.log 2>&1) ||
			{ cat "$tmp/download.log" >&2; vm_die "apt-get download $pkg failed"; }
	fi
	dpkg -x "$tmp"/"$pkg"_*.deb "$tmp/root"
	rm -f "$tmp"/*.deb
	cp "$tmp/root/boot/vmlinuz-$abi" "$tmp/vmlinuz"
	# The .deb ships no modules.dep (its postinst makes one); the initramfs
	# builder needs it to compute dependency closures.
	depmod -b "$tmp/root" "$abi"
	rm -rf "$dir"
	mv "$tmp" "$dir"
	trap - EXIT
	touch "$dir/.complete"
fi
if [ ! -f "$dir/.pvh-checked" ]; then
	extract_vmlinux "$dir"
	touch "$dir/.pvh-checked"
fi
echo "$dir"
