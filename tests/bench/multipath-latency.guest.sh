# The guest side of tests/bench/multipath-latency.host.sh (issue 11's
# measurement): functions the host session sends to guest A with each
# command (guest_run), with guest/lib.sh's helpers sourced there. Not a
# scenario: nothing runs it on its own.
#
#   mpl_setup KIND   KIND map: one LIO LU (unit serial, for VPD page 83),
#                    A's two nexuses to it (tcm_loop) under a dm-multipath
#                    map, held (pr, we-ro, interval 60 s, lease 0, action
#                    restart); the map's first path failed in dm, so A's
#                    writes go down the second. KIND single: the same LU
#                    and nexuses, A holding its first nexus's bare disk.
#                    Then B (a third nexus) registers 0xb1 and A's writer
#                    starts (4 KiB O_DIRECT writes in a loop, dd); returns
#                    once writes are landing through the path that will see
#                    the conflict.
#   mpl_preempt RUN writing|conflict
#                    B preempts A's key (plain PREEMPT, type 5, we-ro:
#                    PREEMPT AND ABORT hangs through tcm_loop on 6.1), with
#                    kernel-log markers before and after; A then fences
#                    (below, at the function).
#
# The LU and everything else live in the guest's RAM: every boot starts
# from a clean LU.

MPL_SERIAL=11111111-aaaa-4000-8000-000000000011

# _mpl_writes DEV: writes completed on block device DEV.
_mpl_writes() {
	awk '{ print $5 }' "/sys/block/${1#/dev/}/stat"
}

mpl_setup() {
	LIO_SERIAL=$MPL_SERIAL lio_shared_lun 16
	lio_path naa.50014050000000a2 "$INITIATOR_A"
	DISK_A2=$PATH_BLK
	load_resfence
	# LIO's own PREEMPT lines (pr_debug in target_core_pr.c) to the
	# console: the moment the target applied the preempt, on the guest's
	# clock. Best effort: the bench works without them.
	echo 'file target_core_pr.c format "from Node" +p' >/proc/dynamic_debug/control 2>/dev/null || :
	dmesg -n 8
	case $1 in
	map)
		mpath_create mpatha "$DISK_A" "$DISK_A2"
		dev=/dev/mapper/mpatha
		seen=$DISK_A2
		;;
	single)
		dev=$DISK_A
		seen=$DISK_A
		;;
	*) fail "mpl_setup: KIND is map or single, not '$1'" ;;
	esac
	expect_ok resfencectl hold "$dev" --mode pr --key 0xa1 --type we-ro --interval 60 --lease 0 --action restart
	if [ "$1" = map ]; then
		expect_ok dmsetup message mpatha 0 fail_path "$(cat "/sys/class/block/${DISK_A#/dev/}/dev")"
		expect_output_match "^${DISK_A2#/dev/} +[0-9]+:[0-9]+ +armed\$" resfencectl status "$dev"
	fi
	expect_ok sg_persist --out --register --param-sark=0xb1 "$DISK_B"
	expect_output_match 'Key=0xa1$' sg_persist --in --read-reservation "$DISK_B"
	printf 'DISK_A=%s DISK_A2=%s DISK_B=%s MPL_DEV=%s MPL_SEEN=%s\n' \
		"$DISK_A" "$DISK_A2" "$DISK_B" "$dev" "$seen" >/run/mpl.env
	# The writer: 4 KiB O_DIRECT writes over the first 16 MiB, again and
	# again (dd ends at the LU's end, or on the conflict's EIO).
	cat >/run/mpl.writer <<-WRITER
		while :; do dd if=/dev/zero of=$dev bs=4096 count=4096 oflag=direct 2>/dev/null; done
	WRITER
	sh /run/mpl.writer </dev/null >/dev/null 2>&1 &
	echo $! >/run/mpl.writer.pid
	w0=$(_mpl_writes "$seen")
	a0=$(_mpl_writes "$DISK_A")
	_n=100
	while [ "$(_mpl_writes "$seen")" -lt $((w0 + 20)) ]; do
		[ "$_n" -gt 0 ] || fail "A's writes do not land through $seen"
		sleep 0.1
		_n=$((_n - 1))
	done
	if [ "$1" = map ] && [ "$(_mpl_writes "$DISK_A")" -ne "$a0" ]; then
		fail "writes went down the failed first path $DISK_A"
	fi
	klog "mpl: setup $1 done: A holds $dev, writing through $seen; B is $DISK_B"
}

# _mpl_children PID: the processes whose parent is PID.
_mpl_children() {
	for _s in /proc/[0-9]*/stat; do
		read -r _p _c _st _pp _rest <"$_s" 2>/dev/null || continue
		[ "$_pp" != "$1" ] || echo "$_p"
	done
}

# _mpl_writer STOP|CONT: the writer loop and its dd. STOP notes the pids
# (in _mpl_pids); CONT uses them: nothing but two kill builtins between
# the "A writes again" marker and the write.
# shellcheck disable=SC2086 # _mpl_pids is a list of pids
_mpl_writer() {
	if [ "$1" = STOP ]; then
		_w=$(cat /run/mpl.writer.pid)
		kill -STOP "$_w"
		_mpl_pids="$(_mpl_children "$_w") $_w"
		kill -STOP $_mpl_pids
	else
		kill -CONT $_mpl_pids
	fi
}

# _mpl_clear_ua DEV: REQUEST SENSE through DEV until no unit attention is
# left (LIO hands them out one at a time and clears each it reports). A
# REQUEST SENSE completes GOOD: the module's probe does not see the unit
# attention in it.
_mpl_clear_ua() {
	_n=0
	while sg_requests "$1" 2>&1 | grep -qi 'unit attention'; do
		_n=$((_n + 1))
		[ "$_n" -lt 8 ] || fail "unit attentions on $1 do not clear"
	done
	echo "$_n"
}

# mpl_preempt RUN writing|conflict: B preempts A's key. writing: A writes
# on through the preempt, and its next command meets LIO's unit attention
# REGISTRATIONS PREEMPTED first (as SPC wants), then, retried, the
# conflict. conflict: A's writer is stopped (SIGSTOP) before the preempt,
# the unit attentions on A's two nexuses are cleared with REQUEST SENSE,
# and the writer goes on (SIGCONT, marker "A writes again"): its next
# write meets RESERVATION CONFLICT first.
mpl_preempt() {
	. /run/mpl.env
	if [ "$2" = conflict ]; then
		_mpl_writer STOP
		sleep 0.3
	fi
	klog "mpl: B preempt start run=$1"
	sg_persist --out --preempt --param-rk=0xb1 --param-sark=0xa1 --prout-type=5 "$DISK_B" >/run/mpl.preempt 2>&1
	_rc=$?
	klog "mpl: B preempt done run=$1 exit $_rc"
	if [ "$2" = conflict ]; then
		_u1=$(_mpl_clear_ua "$DISK_A")
		_u2=$(_mpl_clear_ua "$DISK_A2")
		klog "mpl: unit attentions cleared run=$1: $_u1 on $DISK_A, $_u2 on $DISK_A2"
		klog "mpl: A writes again run=$1"
		_mpl_writer CONT
	fi
	# A fences now: this command never answers.
	sleep 60
}
