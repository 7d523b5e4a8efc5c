# Shared by the packaging tests (tests/packaging/*.sh). Sourced by bash, never run.
# These tests install for real, as root, on the machine that runs them (the CI
# machine): dkms add/build/install, dpkg -i, then remove and purge. The module
# is never loaded here: DKMS only builds and installs the file, and the lab
# boots it in QEMU (tests/packaging/dkms-module.sh).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_DIR=${RESFENCE_BUILD:-$ROOT/build}
LOG_DIR=${RESFENCE_LOG_DIR:-$BUILD_DIR/test-logs}
PKG_DIR=$BUILD_DIR/packaging
VERSION=$("$ROOT/scripts/version.sh")
ABI=$("$ROOT/scripts/kdir.sh" --abi)
DKMS_NAME=resfence
mkdir -p "$LOG_DIR" "$PKG_DIR"

# need_root NAME: these tests change the machine; skip (77) unless root.
need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP $1: needs root (installs packages and DKMS modules)"
		exit 77
	fi
}

# pkg_lock: one packaging test at a time on this machine (they share dpkg's
# database, /usr/src and DKMS's tree); held on fd 8 until the caller exits.
pkg_lock() {
	exec 8>/var/lock/resfence-packaging.lock
	flock 8
}

# pkg_cleanup: purge both packages, remove every DKMS build of the module and
# the source tree `dkms add` copied: whatever an earlier or interrupted run
# left. Quiet, and never fails (it runs from EXIT traps).
pkg_cleanup() {
	local p
	for p in resfence resfence-dkms; do
		if dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qv '^unknown ok not-installed$'; then
			dpkg --purge "$p" >>"$LOG_DIR/packaging-cleanup.log" 2>&1 || :
		fi
	done
	if [ -d /var/lib/dkms/$DKMS_NAME ]; then
		for p in /var/lib/dkms/$DKMS_NAME/*/; do
			[ -d "$p" ] || continue
			p=${p%/}
			dkms remove "$DKMS_NAME/${p##*/}" --all >>"$LOG_DIR/packaging-cleanup.log" 2>&1 || :
		done
		rm -rf /var/lib/dkms/$DKMS_NAME
	fi
	# A source tree no package owns (from `dkms add PATH`).
	for p in /usr/src/$DKMS_NAME-*; do
		[ -e "$p" ] || continue
		dpkg -S "$p" >/dev/null 2>&1 || rm -rf "$p"
	done
}

# pkg_leftovers: print (one line each) what of resfence is still installed.
pkg_leftovers() {
	local p
	dkms status "$DKMS_NAME" 2>/dev/null | sed 's/^/dkms status: /'
	[ ! -e /var/lib/dkms/$DKMS_NAME ] || echo "/var/lib/dkms/$DKMS_NAME"
	for p in /usr/src/$DKMS_NAME-*; do
		[ ! -e "$p" ] || echo "$p"
	done
	find /lib/modules -name 'scsi_resfence.ko*' 2>/dev/null
	grep -l scsi_resfence /lib/modules/*/modules.dep 2>/dev/null | sed 's/$/ lists scsi_resfence/'
	for p in resfence resfence-dkms; do
		dpkg-query -W -f='${Package} ${Status}\n' "$p" 2>/dev/null | grep -v 'not-installed$'
	done
	for p in /usr/sbin/resfencectl /lib/systemd/system/resfence-hold@.service \
		/usr/share/man/man8/resfencectl.8.gz /usr/share/bash-completion/completions/resfencectl; do
		[ ! -e "$p" ] || echo "$p"
	done
}
