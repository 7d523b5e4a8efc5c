# Helpers for lab scenarios, sourced inside the guest (busybox ash).
# In a single-guest scenario (LAB_MODE=scenario) fail/pass write the verdict
# marker the host reads from the console; in a two-guest node
# (LAB_MODE=agent) they just end the host's command with status 1 or 0.
#
#   klog MSG...                  write MSG to the kernel log (a marker/timeline line)
#   fail MSG...                  verdict FAIL, scenario ends
#   pass                         verdict PASS, scenario ends
#   expect_ok CMD...             CMD must exit 0
#   expect_fail CODE CMD...      CMD must exit exactly CODE
#   expect_output_match RE CMD...  CMD must exit 0 and print a line matching RE (grep -E)
#                                (each sets OUT to CMD's stdout+stderr and RC to its status)
#   out_match RE                 OUT (of the last expect_*) must have a line matching RE
#   wait_klog RE [SECONDS]       wait until the kernel log matches RE (default 30 s)
#   wait_path PATH [SECONDS]     wait until PATH exists (default 10 s)
#   expect_restart RE            the guest must now restart, and the last kernel
#                                lines before it must match RE (the host checks)
#   wait_restart [SECONDS]       fail if the guest is still up after SECONDS (default 30)
#   load_resfence [PARAM=V...]   modprobe scsi_resfence (it comes with the run's image)
#   unload_resfence              rmmod scsi_resfence
#   as_user CMD...               run CMD as nobody (uid/gid 65534), no capabilities
#   lio_shared_lun [SIZE_MB]     one LIO fileio LUN behind two tcm_loop nexuses:
#                                sets DISK_A/DISK_B (block), SG_A/SG_B (sg) and
#                                INITIATOR_A/INITIATOR_B (initiator port names)
#   shared_disk                  two-guest lab: sets DISK/SG to the iSCSI LUN
#                                (QEMU's initiator on virtio-scsi, or iscsi_tcp)
#   monitor_start FILE [ARGS...] `resfencectl monitor ARGS` in the background,
#                                output to FILE, once it listens; pid in MON
#   wait_line FILE RE [SECONDS]  FILE has a line matching RE (grep -E) within
#                                SECONDS (default 10)
#   b_preempts KEY               nexus B (lio_shared_lun) registers 0xb1 and
#                                preempts KEY (type we), as another node would
#   iscsi_login PORTAL TARGET INITIATOR  log in with the kernel's initiator
#                                (iscsi_tcp + iscsistart) over eth0

# Debian's busybox-static shell runs its own applets before searching PATH,
# so a bare "modprobe" would be busybox's, which neither reads kmod's binary
# indexes nor behaves like the tools a user has. Shell functions win over
# applets: route these names to the real kmod and util-linux programs.
modprobe() { /sbin/modprobe "$@"; }
insmod() { /sbin/insmod "$@"; }
rmmod() { /sbin/rmmod "$@"; }
lsmod() { /sbin/lsmod "$@"; }
modinfo() { /sbin/modinfo "$@"; }
depmod() { /sbin/depmod "$@"; }
setpriv() { /usr/bin/setpriv "$@"; }

klog() {
	printf '<5>%s\n' "$*" >/dev/kmsg
}

# Only the first verdict counts: a FAIL is never overwritten by a later PASS.
_verdict() {
	[ ! -e /run/lab.verdict ] || return 1
	: >/run/lab.verdict
	klog "RESFENCE-TEST: $*"
}

fail() {
	echo "FAIL: $*" >&2
	[ "${LAB_MODE:-}" != scenario ] || _verdict "FAIL $*" || :
	exit 1
}

pass() {
	if [ "${LAB_MODE:-}" = scenario ]; then
		_verdict "PASS" || exit 1
	fi
	exit 0
}

# _run CMD...: run CMD, keep its output in OUT and status in RC, and show
# both on the console so that a failure's log tells what happened.
_run() {
	_out=/tmp/.lab-out.$$
	"$@" >"$_out" 2>&1 && RC=0 || RC=$?
	OUT=$(cat "$_out")
	rm -f "$_out"
	echo "+ $* -> $RC"
	[ -z "$OUT" ] || printf '%s\n' "$OUT" | sed 's/^/  | /'
}

expect_ok() {
	_run "$@"
	[ "$RC" -eq 0 ] || fail "expected success, got exit $RC: $*"
}

expect_fail() {
	_want=$1
	shift
	_run "$@"
	[ "$RC" -eq "$_want" ] || fail "expected exit $_want, got exit $RC: $*"
}

expect_output_match() {
	_re=$1
	shift
	_run "$@"
	[ "$RC" -eq 0 ] || fail "expected success, got exit $RC: $*"
	printf '%s\n' "$OUT" | grep -Eq -- "$_re" ||
		fail "output of '$*' does not match /$_re/"
}

out_match() {
	printf '%s\n' "$OUT" | grep -Eq -- "$1" || fail "output does not match /$1/"
}

wait_klog() {
	_re=$1
	_n=$((${2:-30} * 10))
	while [ "$_n" -gt 0 ]; do
		dmesg | grep -Eq -- "$_re" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	fail "kernel log did not match /$_re/ within ${2:-30}s"
}

wait_path() {
	_n=$((${2:-10} * 10))
	while [ ! -e "$1" ]; do
		[ "$_n" -gt 0 ] || fail "$1 did not appear within ${2:-10}s"
		sleep 0.1
		_n=$((_n - 1))
	done
}

expect_restart() {
	klog "RESFENCE-TEST: EXPECT-RESTART $1"
}

wait_restart() {
	sleep "${1:-30}"
	fail "the guest did not restart within ${1:-30}s"
}

load_resfence() {
	[ -e "/lib/modules/$(uname -r)/extra/scsi_resfence.ko" ] ||
		fail "scsi_resfence.ko is not in this image (run make kmod)"
	expect_ok modprobe scsi_resfence "$@"
}

unload_resfence() {
	expect_ok rmmod scsi_resfence
}

# setpriv from util-linux: switching uid away from 0 drops every capability,
# which is what "an unprivileged user" means to the netlink permission check.
as_user() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
}

# _scsi_dev H:C:T:L: wait for the SCSI device's block and sg nodes and set
# _blk=/dev/sdX _sg=/dev/sgN (variables, not output: fail must not run in a
# command substitution's subshell).
_scsi_dev() {
	_d=/sys/bus/scsi/devices/$1
	_n=100
	while [ ! -d "$_d/block" ] || [ ! -d "$_d/scsi_generic" ] ||
		[ -z "$(ls "$_d/block")" ]; do
		[ "$_n" -gt 0 ] || fail "SCSI device $1 did not appear"
		sleep 0.1
		_n=$((_n - 1))
	done
	_blk=/dev/$(ls "$_d/block")
	_sg=/dev/$(ls "$_d/scsi_generic")
	wait_path "$_blk"
	wait_path "$_sg"
}

# scsi_debug_disk: after modprobe scsi_debug, wait for its disk; DBG_DISK=/dev/sdX.
scsi_debug_disk() {
	_n=100
	DBG_DISK=
	while [ -z "$DBG_DISK" ]; do
		for _d in /sys/bus/scsi/drivers/sd/*:*:*:*; do
			[ "$(cat "$_d/model" 2>/dev/null)" = "scsi_debug      " ] && DBG_DISK=/dev/$(ls "$_d/block")
		done
		[ -n "$DBG_DISK" ] || [ "$_n" -gt 0 ] || fail "no scsi_debug disk appeared"
		sleep 0.1
		_n=$((_n - 1))
	done
	wait_path "$DBG_DISK"
}

# scsi_debug_disks N: after `modprobe scsi_debug` with N or more disks,
# waits until N have their sd disk; DBG_SDEVS: their SCSI device
# directories in sysfs, in name order (ls "$dir/block" names the disk).
scsi_debug_disks() {
	_want=$1
	_n=100
	while :; do
		DBG_SDEVS=
		_got=0
		for _d in /sys/bus/scsi/drivers/sd/*:*:*:*; do
			[ "$(cat "$_d/model" 2>/dev/null)" = "scsi_debug      " ] && [ -d "$_d/block" ] || continue
			DBG_SDEVS="$DBG_SDEVS $_d"
			_got=$((_got + 1))
		done
		[ "$_got" -lt "$_want" ] || break
		[ "$_n" -gt 0 ] || fail "scsi_debug_disks: $_got of $_want scsi_debug disks appeared"
		sleep 0.1
		_n=$((_n - 1))
	done
}

lio_shared_lun() {
	_mb=${1:-64}
	_cfg=/sys/kernel/config/target
	[ ! -e "$_cfg/core/fileio_0/lun0" ] || fail "lio_shared_lun: already set up"
	modprobe -a target_core_mod target_core_file tcm_loop ||
		fail "lio_shared_lun: cannot load the LIO modules"
	mkdir -p /var/target/pr /var/lib/lio
	_bs=$_cfg/core/fileio_0/lun0
	mkdir -p "$_bs"
	# LIO_BACKING: a block device to export instead of an image file
	# (fileio takes its size from the device).
	if [ -n "${LIO_BACKING:-}" ]; then
		echo "fd_dev_name=$LIO_BACKING" >"$_bs/control"
	else
		echo "fd_dev_name=/var/lib/lio/lun0.img,fd_dev_size=$((_mb * 1048576))" >"$_bs/control"
	fi
	echo 1 >"$_bs/enable"
	# LIO_SERIAL: a unit serial, which gives the LU a VPD page 83 NAA
	# identity (LIO has none without one); only before the LU is exported.
	[ -z "${LIO_SERIAL:-}" ] || echo "$LIO_SERIAL" >"$_bs/wwn/vpd_unit_serial"
	INITIATOR_A=naa.5001405aaaaaaaaa
	INITIATOR_B=naa.5001405bbbbbbbbb
	for _side in A B; do
		eval "_init=\$INITIATOR_$_side"
		# One emulated target (= one SCSI host) per side, each with
		# its own initiator port: two I_T nexuses to the same LUN.
		case $_side in
		A) _tpg=$_cfg/loopback/naa.50014050000000a1/tpgt_1 ;;
		B) _tpg=$_cfg/loopback/naa.50014050000000b1/tpgt_1 ;;
		esac
		mkdir -p "$_tpg"
		# The nexus first: tcm_loop adds the SCSI device when the LUN
		# is linked, and the scan's commands need the nexus.
		echo "$_init" >"$_tpg/nexus"
		mkdir -p "$_tpg/lun/lun_0"
		ln -s "$_bs" "$_tpg/lun/lun_0/lun0"
		_addr=$(cat "$_tpg/address")
		_scsi_dev "$_addr:0"
		eval "DISK_$_side=\$_blk SG_$_side=\$_sg"
	done
	export DISK_A DISK_B SG_A SG_B INITIATOR_A INITIATOR_B
	klog "lab: LIO shared LUN ${_mb}MiB: DISK_A=$DISK_A ($INITIATOR_A) DISK_B=$DISK_B ($INITIATOR_B)"
}

# lio_path TARGET_WWN INITIATOR_WWN [BACKSTORE]: one more tcm_loop target
# (a SCSI host of its own) with a nexus from INITIATOR_WWN, exporting
# BACKSTORE (default: lio_shared_lun's LU) as LUN 0: another I_T nexus, so
# another path. Sets PATH_BLK and PATH_SG. After lio_shared_lun.
lio_path() {
	_cfg=/sys/kernel/config/target
	_bs=${3:-$_cfg/core/fileio_0/lun0}
	_tpg=$_cfg/loopback/$1/tpgt_1
	mkdir -p "$_tpg"
	echo "$2" >"$_tpg/nexus"
	mkdir -p "$_tpg/lun/lun_0"
	ln -s "$_bs" "$_tpg/lun/lun_0/lun0"
	_addr=$(cat "$_tpg/address")
	_scsi_dev "$_addr:0"
	PATH_BLK=$_blk PATH_SG=$_sg
	klog "lab: LIO path $PATH_BLK: target $1, initiator $2, backstore ${_bs##*/core/}"
}

# lio_other_lu SIZE_MB SERIAL: a second fileio LU with unit serial SERIAL
# (so another VPD page 83 identity); prints its backstore directory for
# lio_path.
lio_other_lu() {
	_bs=/sys/kernel/config/target/core/fileio_0/lun1
	mkdir -p "$_bs"
	echo "fd_dev_name=/var/lib/lio/lun1.img,fd_dev_size=$(($1 * 1048576))" >"$_bs/control"
	echo 1 >"$_bs/enable"
	echo "$2" >"$_bs/wwn/vpd_unit_serial"
	echo "$_bs"
}

# mpath_create NAME DEV...: a dm-multipath map over the paths DEV..., one
# round-robin priority group, uuid "mpath-NAME", built with dmsetup without
# udev (dmsetup makes /dev/mapper/NAME itself). Sets MAP_DEV (/dev/dm-N).
mpath_create() {
	_name=$1
	shift
	modprobe -a dm_multipath dm_round_robin || fail "mpath_create: cannot load dm_multipath"
	_sz=$(cat "/sys/class/block/${1##*/}/size")
	_tbl="0 $_sz multipath 0 0 1 1 round-robin 0 $# 1"
	for _p in "$@"; do
		_tbl="$_tbl $(cat "/sys/class/block/${_p##*/}/dev") 1"
	done
	DM_DISABLE_UDEV=1 dmsetup create "$_name" --noudevsync --uuid "mpath-$_name" --table "$_tbl" ||
		fail "mpath_create: dmsetup create $_name failed ($_tbl)"
	wait_path "/dev/mapper/$_name"
	MAP_DEV=/dev/$(ls "/sys/class/block/${1##*/}/holders")
	klog "lab: multipath map $_name ($MAP_DEV): $*"
}

shared_disk() {
	_n=300
	while :; do
		for _d in /sys/bus/scsi/devices/*:*:*:*; do
			[ -d "$_d/block" ] || continue
			_h=${_d##*/}
			case $(cat "/sys/class/scsi_host/host${_h%%:*}/proc_name") in
			virtio_scsi | iscsi_tcp) ;;
			*) continue ;;
			esac
			_scsi_dev "${_d##*/}"
			DISK=$_blk SG=$_sg
			export DISK SG
			return 0
		done
		[ "$_n" -gt 0 ] || fail "no iSCSI disk (virtio-scsi or iscsi_tcp) appeared"
		sleep 0.1
		_n=$((_n - 1))
	done
}

monitor_start() {
	_out=$1
	shift
	resfencectl monitor "$@" >"$_out" 2>"$_out.err" &
	MON=$!
	wait_line "$_out.err" 'listening for events'
}

wait_line() {
	_n=$((${3:-10} * 10))
	until grep -Eq -- "$2" "$1"; do
		[ "$_n" -gt 0 ] || fail "no /$2/ in $1 within ${3:-10} s: $(cat "$1")"
		sleep 0.1
		_n=$((_n - 1))
	done
}

# The other node's side of a preempt, with sg3-utils rather than resfence:
# what fences A must not depend on B running the same software.
b_preempts() {
	expect_ok sg_persist --out --register --param-sark=0xb1 "$DISK_B"
	expect_ok sg_persist --out --preempt --param-rk=0xb1 --param-sark="$1" --prout-type=1 "$DISK_B"
	expect_output_match 'Key=0xb1' sg_persist --in --read-reservation "$DISK_B"
}

# iscsi_login ADDR:PORT TARGET INITIATOR: the kernel's own initiator logs in
# to the host's tgtd. The guest's only NIC is QEMU user networking in
# restricted mode, whose one rule forwards ADDR:PORT to the host's loopback
# (host-lib.sh). iscsistart logs in and exits; with no iscsid behind it a
# dropped connection is not recovered, and the session's commands fail after
# replacement_timeout instead of hanging for the default 120 s. The LUN
# appears as a disk of an iscsi_tcp SCSI host.
iscsi_login() {
	# crc32c: libiscsi_tcp allocates it for each connection, digests or
	# not, and there is no udev here to load it on demand.
	modprobe -a virtio_pci virtio_net crc32c iscsi_tcp ||
		fail "iscsi_login: cannot load virtio_net/crc32c/iscsi_tcp"
	_n=100
	until [ -e /sys/class/net/eth0 ]; do
		[ "$_n" -gt 0 ] || fail "iscsi_login: no eth0"
		sleep 0.1
		_n=$((_n - 1))
	done
	ip link set lo up
	ip addr add 10.0.2.15/24 dev eth0
	ip link set eth0 up
	mkdir -p /etc/iscsi /run/lock/iscsi /var/lib/iscsi
	if [ -x /usr/sbin/iscsid ]; then
		iscsid_login "$@"
		return
	fi
	iscsistart -i "$3" -t "$2" -g 1 -a "${1%:*}" -p "${1##*:}" \
		-P node.session.timeo.replacement_timeout=15 >/run/iscsistart.log 2>&1 ||
		fail "iscsi_login: iscsistart failed: $(cat /run/iscsistart.log)"
	klog "lab: iSCSI login to $2 at $1 as $3 (iscsi_tcp)"
}

# iscsid_login ADDR:PORT TARGET INITIATOR: the login through iscsid, which
# the image has only for "# lab-needs: iscsid" (initramfs-iscsid.sh): iscsid
# runs for the guest's life and logs a dropped connection in again. The
# timeouts, in /etc/iscsi/iscsid.conf and the node record:
#   replacement_timeout LAB_ISCSI_REPL (lab.iscsi_repl=, default 5 s): how
#     long a dropped session's commands wait for the reconnection before
#     they fail (DID_TRANSPORT_FAILFAST) and new ones fail at once;
#   noop_out_interval 1 s, noop_out_timeout 2 s: a connection that stops
#     answering is dropped within ~3 s, not the default 10 + 15 s; a reset
#     or closed connection is seen at once anyway.
iscsid_login() {
	_repl=${LAB_ISCSI_REPL:-5}
	echo "InitiatorName=$3" >/etc/iscsi/initiatorname.iscsi
	cat >/etc/iscsi/iscsid.conf <<-CONF
		node.startup = manual
		node.session.timeo.replacement_timeout = $_repl
		node.conn[0].timeo.noop_out_interval = 1
		node.conn[0].timeo.noop_out_timeout = 2
		node.conn[0].timeo.login_timeout = 5
		node.session.initial_login_retry_max = 4
	CONF
	iscsid -f >/run/iscsid.log 2>&1 &
	_n=50
	until iscsiadm -m session >/dev/null 2>&1 || [ $? -eq 21 ]; do
		[ "$_n" -gt 0 ] || fail "iscsid_login: iscsid did not start: $(cat /run/iscsid.log)"
		sleep 0.1
		_n=$((_n - 1))
	done
	iscsiadm -m node -o new -T "$2" -p "$1,1" >/run/iscsiadm.log 2>&1 &&
		iscsiadm -m node -T "$2" -p "$1" --login >>/run/iscsiadm.log 2>&1 ||
		fail "iscsid_login: iscsiadm failed: $(cat /run/iscsiadm.log) $(cat /run/iscsid.log)"
	klog "lab: iSCSI login to $2 at $1 as $3 (iscsi_tcp, iscsid, replacement_timeout $_repl s)"
}

# lab_env: the variables an agent command sees (sourced from /run/lab.env).
lab_env() {
	if grep -Eqx 'virtio_scsi|iscsi_tcp' /sys/class/scsi_host/host*/proc_name 2>/dev/null; then
		shared_disk
		echo "DISK=$DISK SG=$SG; export DISK SG"
	fi
}

lab_poweroff() {
	sync
	# The debug kernel's last kmemleak scan, into the kernel log.
	[ ! -f /lib/resfence/debug-checks.sh ] || sh /lib/resfence/debug-checks.sh end
	klog "RESFENCE-TEST: POWEROFF"
	poweroff -f
	# Never let PID 1 exit: that panics and would look like a restart.
	while :; do sleep 60; done
}
