# Every allocation of a request can fail (issue 16, part 2). For each
# request type, resfence-nlraw --fail-nth N makes the Nth fault-injection
# point its thread reaches while the request is sent and answered fail
# (/proc/thread-self/fail-nth; failslab with GFP_KERNEL allocations
# included, so the module's, the block layer's and netlink's own
# allocations all count), for N = 1, 2, ... until the request runs with
# no fault left to inject. Asserted after every N:
#   - the request either succeeded (a failure the kernel absorbed) or was
#     refused with an errno; no crash, no hang;
#   - a refused hold left nothing: not held, our key not registered on the
#     LU, no reservation; a successful one is held and releases cleanly;
#   - a refused release left the device held (and a clean release then
#     works); a successful one left nothing;
#   - a refused SET_DEFAULTS changed nothing;
#   - the module still answers;
# and at the end: nothing held or registered, the module unloads, and (the
# debug kernel's harness) no KASAN, lockdep, debug-objects or kmemleak report.
# The number of points each request reached is printed (FAIL_NTH lines).
# Debug kernel only: Debian's kernel has no fault injection. Each point
# costs a few processes, about 4 s on the debug kernel under TCG, and the
# requests together reach about 200 points: make check runs every
# FAIL_NTH_STRIDE-th point (1, 1 + S, 1 + 2S, ...) of the four requests that
# change state (HOLD pr and scsi2, RELEASE, PREEMPT), within its CI budget;
# the benchmark runs every point of every request (stride 1, all nine):
#   tests/bench/netlink-fail-nth.sh
# lab-needs: module tool
# lab-kernel: debug
# lab-timeout: 600
command -v resfence-nlraw >/dev/null || fail "resfence-nlraw is not in the image (make userspace)"
[ -e /proc/self/fail-nth ] || fail "no /proc/self/fail-nth: the kernel lacks CONFIG_FAULT_INJECTION"
lio_shared_lun 16
load_resfence

# failslab ignores allocations that may sleep (GFP_KERNEL) unless told
# otherwise: most of the module's are. Quiet: a forced failure otherwise
# prints a stack trace, which the harness would take for a splat.
FS=/sys/kernel/debug/failslab
[ -d "$FS" ] || mount -t debugfs none /sys/kernel/debug
echo N >"$FS/ignore-gfp-wait"
echo 0 >"$FS/verbose"
echo 0 >/sys/kernel/debug/fail_page_alloc/verbose

n=$(stat -c '%t:%T' "$DISK_A")
D="dev_major=$((0x${n%:*})) dev_minor=$((0x${n#*:}))"
nb=$(stat -c '%t:%T' "$DISK_B")
NL='
'
MAX=600
# The benchmark's driver writes 1 and all here.
STRIDE=${FAIL_NTH_STRIDE:-4}
REQUESTS=${FAIL_NTH_REQUESTS:-state}

# injected: did the last resfence-nlraw run inject its fault?
injected() {
	case "$NL$OUT$NL" in
	*"${NL}fail-nth: injected$NL"*) return 0 ;;
	*"${NL}fail-nth: not reached$NL"*) return 1 ;;
	*) fail "resfence-nlraw printed no fail-nth outcome" ;;
	esac
}

# A refusal must say what failed: an errno line from the kernel's answer,
# or (a failure before the module saw the request: the socket's own
# buffer) the client's message naming the failed call.
# The one exception: ENOMEM from generic netlink's own attribute table,
# allocated before the module sees the request, comes without a message
# (net/netlink/genetlink.c); the module's own ENOMEMs all have one.
check_refusal() {
	case "$NL$OUT$NL" in
	*"${NL}errno: "*)
		case "$NL$OUT$NL" in
		*"${NL}extack: "*) ;;
		*"${NL}errno: 12 ENOMEM"*) ;;
		*) fail "refused (exit $RC) without an extended ACK message: $OUT" ;;
		esac
		;;
	*"resfence-nlraw: "*) ;;
	*) fail "request refused (exit $RC) without a reason: $OUT" ;;
	esac
}

# module_holds N NAME: whether the module holds a device (its GET_DEVICE dump).
module_holds() {
	_run resfence-nlraw --dump get_device
	[ "$RC" -eq 0 ] || fail "GET_DEVICE dump failed after fail-nth $1 of $2"
	case "$OUT" in
	*"reply get_device"*) return 0 ;;
	esac
	return 1
}

# nothing_held: the module holds nothing, and the LU has no registration
# and no reservation (read through B's nexus, which the module never used).
nothing_held() {
	! module_holds "$1" "$2" || fail "a device is held after a refused $2 (fail-nth $1)"
	_keys=$(sg_persist -n --in --read-keys "$DISK_B" 2>&1) || fail "sg_persist failed: $_keys"
	case "$_keys" in
	*"NO registered reservation keys"*) ;;
	*) fail "a key is registered on the LU after a refused $2 (fail-nth $1): $_keys" ;;
	esac
}

is_held() {
	module_holds "$1" "$2" || fail "nothing is held after a successful $2 (fail-nth $1)"
}

# fail_each NAME SETUP CHECK REQUEST...: for N = 1, 1 + STRIDE, ...:
# SETUP, the request with its Nth point failed, then CHECK N NAME (which
# sees RC and OUT of the request), until a run injects nothing.
fail_each() {
	_name=$1 _setup=$2 _check=$3
	shift 3
	_nth=1
	_tried=0
	_refused=0
	while :; do
		[ "$_nth" -le "$MAX" ] || fail "$_name: still injecting at fail-nth $MAX"
		$_setup
		_run resfence-nlraw --fail-nth "$_nth" "$@"
		if injected; then
			_rc=$RC
			case "$OUT" in
			# The request was done; its answer was lost in the
			# client's own receive (a point of recvmsg, not of the
			# module): either outcome is consistent.
			*"cannot receive reply"*) _rc=lost ;;
			*) [ "$RC" -eq 0 ] || {
				check_refusal
				_refused=$((_refused + 1))
			} ;;
			esac
			$_check "$_nth" "$_name" "$_rc"
			_tried=$((_tried + 1))
		else
			[ "$RC" -eq 0 ] || fail "$_name failed with no fault injected (exit $RC)"
			$_check "$_nth" "$_name" 0
			break
		fi
		_nth=$((_nth + STRIDE))
	done
	if [ "$STRIDE" -eq 1 ]; then
		klog "FAIL_NTH $_name: $_tried points, $_refused refused, the rest absorbed"
	else
		klog "FAIL_NTH $_name: $_tried points failed (every ${STRIDE}th, below $_nth), $_refused refused, the rest absorbed"
	fi
}

none() { :; }

# lost_answer: after an answer lost in the client's receive, release
# whatever is held, then nothing may be left.
lost_answer() {
	resfencectl release "$DISK_A" >/dev/null 2>&1 || true
	resfencectl release "$DISK_B" >/dev/null 2>&1 || true
	nothing_held "$1" "$2 (answer lost)"
}

after_hold() {
	[ "$3" != lost ] || { lost_answer "$1" "$2"; return; }
	if [ "$3" -eq 0 ]; then
		is_held "$1" "$2"
		expect_ok resfencectl release "$DISK_A"
		nothing_held "$1" "release after $2"
	else
		nothing_held "$1" "$2"
	fi
}

# shellcheck disable=SC2086
hold_log() { expect_ok resfence-nlraw hold $D mode=2 key=0xa1 pr_type=1 interval_ms=1000 lease_ms=30000 action=3; }
after_release() {
	[ "$3" != lost ] || { lost_answer "$1" "$2"; return; }
	if [ "$3" -eq 0 ]; then
		nothing_held "$1" "$2"
		return
	fi
	case "$OUT" in
	# The release disarms before it sends its commands (RELEASE in
	# kmod-internals.md): a command that cannot be sent leaves the node
	# unarmed and says the target may still show the reservation. Then
	# the module holds nothing; unregister through A's nexus by hand.
	*"extack: disarmed, but "*)
		! module_holds "$1" "$2" || fail "$2 said disarmed but the device is held (fail-nth $1)"
		sg_persist -n --out --register --param-rk=0xa1 --param-sark=0 "$DISK_A" >/dev/null 2>&1 || true
		;;
	*)
		is_held "$1" "$2 (refused)"
		expect_ok resfencectl release "$DISK_A"
		;;
	esac
	nothing_held "$1" "clean release after $2"
}

after_read() {
	expect_ok resfence-nlraw get_info
	out_match ' held_count=0 interval_ms=2000 lease_ms=4000 lease_auto=true action=1 mode=2$'
}

after_defaults() {
	[ "$3" != lost ] || expect_ok resfence-nlraw set_defaults interval_ms=2000
	expect_ok resfence-nlraw get_info
	if [ "$3" = 0 ]; then
		out_match ' interval_ms=3000 lease_ms=6000 lease_auto=true '
		expect_ok resfence-nlraw set_defaults interval_ms=2000
		expect_ok resfence-nlraw get_info
	fi
	out_match ' held_count=0 interval_ms=2000 lease_ms=4000 lease_auto=true action=1 mode=2$'
}

# A scsi2 hold leaves no key: a reservation left behind shows as B's read
# of the LU conflicting.
scsi2_free() {
	dd if="$DISK_B" of=/dev/null bs=512 count=1 iflag=direct 2>/dev/null ||
		fail "B cannot read the LU after $2 (fail-nth $1): a reservation was left"
}
after_hold_scsi2() {
	if [ "$3" = lost ]; then
		resfencectl release "$DISK_A" >/dev/null 2>&1 || true
	elif [ "$3" -eq 0 ]; then
		is_held "$1" "$2"
		expect_ok resfencectl release "$DISK_A"
	fi
	nothing_held "$1" "$2"
	scsi2_free "$1" "$2"
}

# B's PREEMPT (take the LU from A's key 0xa1, registered and reserved by
# hand through A's nexus, then hold it). Refused: the module holds nothing
# and B's key 0xb1 is not left registered; A's key may be gone (the
# preempt may have reached the target before a later step failed: that
# cannot be undone, and fences A as it should). Done: B holds the LU and
# A's key is gone. Either way the LU is cleaned for the next round.
reg_victim() {
	# The last round's preempt left A's nexus a unit attention
	# ("registrations preempted"): take it first.
	sg_turs "$DISK_A" >/dev/null 2>&1 || true
	expect_ok sg_persist -n --out --register --param-sark=0xa1 "$DISK_A"
	expect_ok sg_persist -n --out --reserve --param-rk=0xa1 --prout-type=1 "$DISK_A"
}
after_preempt() {
	_keys=$(sg_persist -n --in --read-keys "$DISK_B" 2>&1) || fail "sg_persist failed: $_keys"
	if [ "$3" = lost ]; then
		resfencectl release "$DISK_B" >/dev/null 2>&1 || true
		sg_persist -n --out --register --param-rk=0xa1 --param-sark=0 "$DISK_A" >/dev/null 2>&1 || true
	elif [ "$3" -eq 0 ]; then
		is_held "$1" "$2"
		case "$_keys" in
		*0xa1*) fail "$2 succeeded (fail-nth $1) but the victim's key 0xa1 is registered: $_keys" ;;
		esac
		expect_ok resfencectl release "$DISK_B"
	else
		case "$_keys" in
		*0xb1*) fail "a refused $2 (fail-nth $1) left B's key 0xb1 registered: $_keys" ;;
		esac
		sg_persist -n --out --register --param-rk=0xa1 --param-sark=0 "$DISK_A" >/dev/null 2>&1 || true
	fi
	nothing_held "$1" "$2"
}

# shellcheck disable=SC2086
{
fail_each hold-pr none after_hold hold $D mode=2 key=0xa1 pr_type=1 interval_ms=1000 lease_ms=30000 action=3
fail_each hold-scsi2 none after_hold_scsi2 hold $D mode=1 interval_ms=1000 lease_ms=30000 action=3
fail_each release hold_log after_release release $D
if [ "$REQUESTS" = all ]; then
	fail_each get-info none after_read get_info
	fail_each get-device-dump none after_read --dump get_device
	fail_each read-keys none after_read read_keys $D
	fail_each read-reservation none after_read read_reservation $D
	fail_each set-defaults none after_defaults set_defaults interval_ms=3000
fi
fail_each preempt reg_victim after_preempt preempt dev_major=$((0x${nb%:*})) dev_minor=$((0x${nb#*:})) \
	mode=2 key=0xb1 victim_key=0xa1 pr_type=1 interval_ms=1000 lease_ms=30000 action=3
}

# The module is unharmed: it answers with its defaults, holds nothing, and
# unloads; the harness then scans for leaks and checker reports.
after_read
nothing_held end all
unload_resfence
pass
