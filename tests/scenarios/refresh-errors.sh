# Refresh errors that are not a reservation conflict (issue 16): scsi_debug's
# error injection on held disks, with the action set to restart, so that a
# wrong fence is an unexpected restart, which fails the run. For each kind:
# the refresh-failure counter rises, the REFRESH_FAILED event names it (its
# reason) and so does the failing command's kernel log line (status, host
# byte, sense), the disk stays armed, and once the injection is cleared
# refreshes succeed again. A recovered error and a device reset are not
# failures at all. Then a refresh stuck past the lease fences by the lease.
# Documentation/timing.md, "Refresh errors that are not a conflict".
#
# scsi_debug has no persistent reservations: the holds are scsi2 (it takes
# RESERVE(6)/(10) and answers GOOD, keeping no state) with a takeover epoch,
# whose READ(10) of the epoch block before each RESERVE is a medium-access
# command, so the read-path injections reach the refresh too. Two disks,
# each on a scsi_debug host of its own (add_host=2): X takes the one error
# that costs the mid-layer's full command timeout (30 s,
# RESFENCE_CMD_TIMEOUT_S), Y takes the others meanwhile. The injection
# knobs are global to scsi_debug: X's timed-out command is swallowed before
# Y is held, and X issues nothing else until it times out. (On one host,
# X's swallowed command would keep Y's host-busy requeue waiting for a
# completion on the host until X's timeout: a host that answered busy with
# another command in flight is restarted only by a completion.)
#
# What reaches the refresh, in scsi_debug 6.1 (drivers/scsi/scsi_debug.c)
# and the 6.1 mid-layer (scsi_error.c), with the module's commands sent
# without mid-layer retries (scsi_execute(..., retries 0)); as failures:
#   timeout (opts 0x4, every_nth): the command is dropped; after 30 s the
#     mid-layer aborts it (scsi_debug's abort always succeeds: no reset),
#     and it completes DID_TIME_OUT: "command timed out".                [X]
#   medium error (opts 0x2, medium_error_start/_count): READs of those
#     blocks, so the epoch READ: MEDIUM ERROR 3/11/00: "command failed".  [Y]
#   aborted command (opts 0x10, scsi_debug's "transport error"): any
#     command that would succeed gets ABORTED COMMAND 0b/4b/03; every_nth=2
#     puts it on the RESERVE: "command failed" (NEEDS_RETRY for the
#     mid-layer, but no retries are allowed, so it is passed up).  [Y, D]
#   short transfer (opts 0x100, every_nth): a READ moves half its blocks
#     (of one: none) with GOOD status: "short read of the epoch block".  [Y]
#   not ready (START STOP UNIT with sg_start --stop): medium-access
#     commands get NOT READY 2/04/02 (no mid-layer restart: sd leaves
#     allow_restart off): "device not ready".                       [Y, D]
#   no connect (max_luns=0): every command to LUN 0 ends DID_NO_CONNECT,
#     a host-byte failure: "device unreachable".                         [Y]
#   task set full (opts 0x800 "rare TSF", queue depth 1): scsi_debug 6.1
#     answers TASK SET FULL with host byte DID_ABORT, which the mid-layer
#     passes up as it is: "transport error".                        [Y, D]
# Not failures at all:
#   recovered error (opts 0x8, every_nth): a READ completes with RECOVERED
#     ERROR 01/5d/00 and its data: a success.                       [Y, D]
#   host busy (opts 0x8000): queuecommand returns SCSI_MLQUEUE_HOST_BUSY
#     and the block layer requeues the command until it is taken: a stall
#     (the lease's business), never an error the refresh sees.      [Y, D]
#   a device reset (sg_reset -d): the next command meets the reset's unit
#     attention; the module re-reads its epoch and reserves again.      [Y]
# [D]: on Debian's kernel only (the debug kernel's guest is several times
# slower; these take the module down the same paths as the others).
# Not run:
#   MAC timeout (opts 0x80): the timeout above restricted to reads and
#     writes, so to the epoch READ: the same path and the same 30 s.
#   command abort (opts 0x10000): only with delay < 0 (completion from a
#     work queue), where scsi_debug asks the block layer for an immediate
#     timeout scan; tried in the lab, each such command still completed
#     GOOD first: nothing reaches the refresh.
#   DIF/DIX errors (opts 0x20/0x40): need a protection-formatted disk
#     (dif=/dix= at load) and protected READs; the epoch READ(10) has
#     RDPROTECT 0. RESERVE and RELEASE have no response function in
#     scsi_debug, so only the generic injections reach them.
# lab-needs: module tool
# lab-timeout: 300
SD=/sys/bus/pseudo/drivers/scsi_debug
PARM=/sys/module/scsi_debug/parameters
# scsi_debug's disks share one store (per_host_store=0): each hold has an
# epoch block of its own, or Y's acquire would move X's epoch and X would
# rightly fence.
EPOCH_X=8 EPOCH_Y=16
case $(uname -r) in
*-resfence-debug) DEBUG_KERNEL=1 ;;
*) DEBUG_KERNEL= ;;
esac

expect_ok modprobe scsi_debug dev_size_mb=8 add_host=2
scsi_debug_disks 2
# shellcheck disable=SC2086
set -- $DBG_SDEVS
XS=$1 YS=$2
X=/dev/$(ls "$XS/block")
Y=/dev/$(ls "$YS/block")
XN=${X#/dev/} YN=${Y#/dev/}
XA=${XS##*/} YA=${YS##*/}
wait_path "$X"
wait_path "$Y"
expect_ok dd if=/dev/zero of="$X" bs=512 seek=$EPOCH_X count=1 oflag=direct
expect_ok dd if=/dev/zero of="$Y" bs=512 seek=$EPOCH_Y count=1 oflag=direct
klog "refresh-errors: X=$X Y=$Y"

clear_all() {
	echo 0 >"$SD/opts"
	echo 0 >"$SD/every_nth"
}
# die MSG [FILE]: FILE to the console, every injection off (or a failed
# check would go on into a lease fence of its own, which hides it), fail.
# The message stays short: the verdict is one kernel log record.
die() {
	[ -z "${2:-}" ] || cat "$2"
	clear_all
	echo 1 >"$SD/max_luns"
	fail "$1"
}
# fetch DEV: its status --json into /tmp/st.json, where field reads it (the
# last one fetched stays: one resfencectl call takes about a second on the
# debug kernel, so the scenario reuses what it has).
fetch() {
	resfencectl status "$1" --json >/tmp/st.json 2>&1 || :
}
# field NAME: a number from the last fetch (empty if absent; callers check).
field() {
	sed -n "s/.*\"$1\": *\([0-9][0-9]*\).*/\1/p" /tmp/st.json | head -n 1
}
st() {
	fetch "$1"
	field "$2"
}
# wait_stat DEV FIELD MIN SECONDS: FIELD reaches MIN within SECONDS; the
# last fetch (DEV's) stays in /tmp/st.json.
wait_stat() {
	_w=$(($4 * 5))
	fetch "$1"
	until [ "$(field "$2")" -ge "$3" ] 2>/dev/null; do
		[ "$_w" -gt 0 ] || die "$1: $2 did not reach $3 within $4 s" /tmp/st.json
		sleep 0.2
		_w=$((_w - 1))
		fetch "$1"
	done
}
# was_armed DEV: the last fetch (of DEV) says armed.
was_armed() {
	grep -q '"state": *"armed"' /tmp/st.json || die "$1 is no longer armed" /tmp/st.json
}
# since MARK RE: the kernel log after the marker line MARK has a line
# matching RE.
since() {
	dmesg | sed -n "/refresh-errors: $1\$/,\$p" | grep -Eq -- "$2"
}
wait_since() {
	_w=$(($3 * 5))
	until since "$1" "$2"; do
		[ "$_w" -gt 0 ] || die "no /$2/ in the kernel log after '$1' within $3 s"
		sleep 0.2
		_w=$((_w - 1))
	done
}
# events DISK REASON: refresh-failed events for DISK with REASON so far.
events() {
	grep -c " refresh-failed $1 [0-9]*:[0-9]* .*reason=\"$2\"\$" /tmp/ev || :
}
# cnt DISK NAME: a SCSI device counter (sysfs prints them in hex).
cnt() {
	echo $(($(cat "/sys/block/$1/device/$2")))
}
# pending DISK: commands dispatched to scsi_debug and not completed (a
# command aborted after its timeout never counts as done, in 6.1).
pending() {
	echo $(($(cnt "$1" iorequest_cnt) - $(cnt "$1" iodone_cnt)))
}

load_resfence
monitor_start /tmp/ev

# X: a timeout. Interval 0.5 s; the lease (90 s) outlasts the 30 s the
# mid-layer waits before it aborts the command.
expect_ok resfencectl hold "$X" --mode scsi2 --epoch-lba $EPOCH_X --interval 0.5 --lease 90 --action restart
wait_stat "$X" refresh_ok 1 30
xf0=$(field refresh_failed)
klog "refresh-errors: X timeout"
echo 1 >"$SD/every_nth"
echo 0x4 >"$SD/opts"
# The next command scsi_debug sees, X's refresh's, is dropped: one stays
# pending (twice, a second apart: a command that is only in flight
# completes in milliseconds).
w=30
until [ "$(pending "$XN")" -ge 1 ] && sleep 1 && [ "$(pending "$XN")" -ge 1 ]; do
	[ "$w" -gt 0 ] || die "no command of X's refresh was dropped within 30 s"
	sleep 0.2
	w=$((w - 1))
done
clear_all
xok0=$(st "$X" refresh_ok)

# Y: the others, while X waits for its command's timeout. A lease well
# above a stalled TCG guest's hiccups.
expect_ok resfencectl hold "$Y" --mode scsi2 --epoch-lba $EPOCH_Y --interval 0.5 --lease 20 --action restart
wait_stat "$Y" refresh_ok 1 30

# kind NAME REASON KLOG_RE INJECT: INJECT on Y; refresh_failed rises by
# two (one failure could have begun before the injection), the event and
# the log line name it, Y stays armed; cleared, refresh_ok rises by two.
kind() {
	_name=$1 _reason=$2 _klog=$3
	_f0=$(st "$Y" refresh_failed)
	_e0=$(events "$YN" "$_reason")
	klog "refresh-errors: Y $_name"
	"$4"
	wait_stat "$Y" refresh_failed $((_f0 + 2)) 30
	# Each refresh fails while the injection is on: refresh_ok stands.
	_ok0=$(field refresh_ok) _f1=$(field refresh_failed)
	[ -z "$_klog" ] || wait_since "Y $_name" "$_klog" 5
	uninject
	wait_stat "$Y" refresh_ok $((_ok0 + 2)) 30
	was_armed "$Y"
	[ "$(events "$YN" "$_reason")" -gt "$_e0" ] ||
		die "$_name: no refresh-failed event for $YN with reason \"$_reason\"" /tmp/ev
	klog "refresh-errors: Y $_name: $((_f1 - _f0)) refreshes failed, no fence, refreshing again"
}
QD=$(cat "/sys/block/$YN/device/queue_depth")
# Every injection off, whichever was on.
uninject() {
	clear_all
	echo 1 >"$SD/max_luns"
	echo "$QD" >"/sys/block/$YN/device/queue_depth"
	if [ -n "${STOPPED:-}" ]; then
		expect_ok sg_start --start "$Y"
		STOPPED=
	fi
}
medium() {
	echo $EPOCH_Y >"$PARM/medium_error_start"
	echo 1 >"$PARM/medium_error_count"
	echo 0x2 >"$SD/opts"
}
aborted() {
	echo 2 >"$SD/every_nth"
	echo 0x10 >"$SD/opts"
}
short() {
	echo 1 >"$SD/every_nth"
	echo 0x100 >"$SD/opts"
}
notready() {
	STOPPED=1
	expect_ok sg_start --stop "$Y"
}
noconnect() {
	echo 0 >"$SD/max_luns"
}
tsf() {
	echo 1 >"/sys/block/$YN/device/queue_depth"
	echo 1 >"$SD/every_nth"
	echo 0x800 >"$SD/opts"
}
kind "medium error" "command failed" \
	"sd $YA: resfence: READ\(10\): command failed \(status 0x02 host 0x00 sense 3/11/00\)" medium
# The "refresh failed" line is rate-limited (10 in 5 s, all disks): looked
# for once, here, where nothing else has failed yet; the events are not.
wait_since "Y medium error" "scsi_resfence: $YN: refresh failed: -5 \(command failed\)" 10
kind "short transfer" "short read of the epoch block" "" short
kind "no connect" "device unreachable" \
	"sd $YA: resfence: READ\(10\): device unreachable \(status 0x00 host 0x01 " noconnect
# The debug kernel runs the guest several times slower: it leaves to
# Debian's kernel the kinds that take the module down the same paths as
# those above with other sense or host bytes (aborted command, not ready,
# task set full), or that reach no code of its own (a recovered error is
# a GOOD refresh, a busy host a slow one): CI budget.
if [ -z "$DEBUG_KERNEL" ]; then
	kind "aborted command" "command failed" \
		"sd $YA: resfence: RESERVE\((6|10)\): command failed \(status 0x02 host 0x00 sense b/4b/03\)" aborted
	kind "not ready" "device not ready" \
		"sd $YA: resfence: READ\(10\): device not ready \(status 0x02 host 0x00 sense 2/04/02\)" notready
	kind "task set full" "transport error" \
		"sd $YA: resfence: READ\(10\): transport error \(status 0x28 host 0x05 " tsf

	# Recovered error: a success. The command did carry it (ioerr_cnt
	# counts completions with a non-zero result), and no refresh failed.
	fetch "$Y"
	f0=$(field refresh_failed) ok0=$(field refresh_ok)
	e0=$(cnt "$YN" ioerr_cnt)
	klog "refresh-errors: Y recovered error"
	echo 1 >"$SD/every_nth"
	echo 0x8 >"$SD/opts"
	wait_stat "$Y" refresh_ok $((ok0 + 3)) 30
	clear_all
	# (The first of the three may have read its epoch before the injection.)
	[ "$(cnt "$YN" ioerr_cnt)" -ge $((e0 + 2)) ] ||
		die "recovered error: Y's refreshes did not carry it (ioerr_cnt $e0 -> $(cnt "$YN" ioerr_cnt))"
	[ "$(field refresh_failed)" -eq "$f0" ] || die "a recovered error failed a refresh"

	# Host busy: Y's refresh waits (no good refresh for three intervals)
	# but does not fail; once the host takes commands again it goes on.
	klog "refresh-errors: Y host busy"
	echo 1 >"$SD/every_nth"
	echo 0x8000 >"$SD/opts"
	wait_stat "$Y" last_ok_age_ms 1500 30
	ok0=$(field refresh_ok)
	clear_all
	wait_stat "$Y" refresh_ok $((ok0 + 2)) 30
	[ "$(field refresh_failed)" -eq "$f0" ] || die "a busy host failed a refresh"
fi

# A device reset: a unit attention, no failure; the module reserves again.
fetch "$Y"
f0=$(field refresh_failed) ok0=$(field refresh_ok)
klog "refresh-errors: Y reset"
expect_ok sg_reset -d "$Y"
wait_since "Y reset" "scsi_resfence: $YN: reserved again after a reset" 30
wait_stat "$Y" refresh_ok $((ok0 + 2)) 30
[ "$(field refresh_failed)" -eq "$f0" ] || die "a device reset failed a refresh"
was_armed "$Y"

# X: its command times out (30 s after it was sent), the refresh fails,
# and the next one succeeds.
wait_stat "$X" refresh_failed $((xf0 + 1)) 60
wait_since "X timeout" "sd $XA: resfence: (READ\(10\)|RESERVE\((6|10)\)): command timed out \(status 0x00 host 0x03 " 10
[ "$(events "$XN" "command timed out")" -ge 1 ] ||
	die "no refresh-failed event for $XN with reason \"command timed out\"" /tmp/ev
wait_stat "$X" refresh_ok $((xok0 + 2)) 30
was_armed "$X"
klog "refresh-errors: X: the timed-out refresh failed, no fence, refreshing again"

# A refresh stuck past the lease: every command is dropped; Y, held again
# with a 3 s lease, fences by the lease.
expect_ok resfencectl release "$X"
expect_ok resfencectl release "$Y"
expect_ok resfencectl hold "$Y" --mode scsi2 --epoch-lba $EPOCH_Y --interval 0.5 --lease 3 --action restart
wait_stat "$Y" refresh_ok 1 30
expect_restart "scsi_resfence: FENCED $YN \([0-9]+:[0-9]+\) key 0x[0-9a-f]+: lease expired without a successful refresh: restarting now"
klog "refresh-errors: Y stuck"
echo 1 >"$SD/every_nth"
echo 0x4 >"$SD/opts"
wait_restart 30
