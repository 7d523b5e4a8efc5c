#!/bin/sh
# Install every Debian package resfence needs to build, test and run its lab.
# Idempotent: quiet and fast when everything is already installed.
set -eu

PACKAGES="
build-essential make cmake pkg-config bc flex bison libelf-dev libssl-dev dwarves
linux-headers-amd64 linux-source-6.1
libnl-3-dev libnl-genl-3-dev libcli11-dev nlohmann-json3-dev googletest libgtest-dev
clang-format clang-tidy
qemu-system-x86 qemu-block-extra qemu-utils
busybox-static sg3-utils kmod cpio xz-utils zstd
tgt open-iscsi socat iproute2 procps util-linux perl dmsetup
dkms dh-dkms debhelper dpkg-dev lintian systemd
pacemaker pacemaker-cli-utils libxml2-utils corosync
fio python3-pexpect python3-pycurl
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "setup: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# The packaging tests (tests/packaging/) build and install the .debs with
# dkms, debhelper and lintian, and check the unit with systemd-analyze and
# systemd's fstab generator; installing systemd enables nothing of resfence.
# tgt and open-iscsi ship services; the lab starts its own tgtd and never
# needs iscsid on the host, so keep package installs from starting them.
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 || {
	echo "setup: apt-get install failed for:$missing" >&2
	exit 1
}
