# The SCSI-2 flow of issue 6, scenario 5, measured: a two-guest lab session
# driven by tests/bench/scsi2-takeover.sh (not a test: it is outside
# tests/scenarios/, so make check never runs it). Guests A and B log in to
# the host's tgtd with the kernel's own initiator (iscsi_tcp + iscsistart),
# so B's LUN reset reaches tgtd, which releases A's SCSI-2 reservation (QEMU's
# initiator would answer the reset itself). tgt serves RESERVE(6)/RELEASE(6)
# only: the module falls back to them. Interval 2 s (the module's default),
# no lease, action restart. Three series of BENCH_RUNS runs each; one line
# per run is appended to BENCH_DATA (TSV):
#
#   reset  idle|writing  RUN  LATENCY  PROBE_RC  UA_CMD
#     A holds (idle, or with its writer loop running); B resets the LUN.
#     LATENCY: B's marker after `resfencectl reset` returned -> A's line
#     "scsi_resfence: sdX: reserved again after a reset", on the host's
#     clock. PROBE_RC: the exit status of B's probe write right after that
#     line (24, reservation conflict, if A holds the disk again). UA_CMD: the
#     first of A's commands that completed with CHECK CONDITION after the
#     reset (the scsi:scsi_dispatch_cmd_done trace event in A), i.e. the one
#     that met the reset's unit attention: RESERVE is A's refresh, WRITE_10
#     one of its writes (the module then re-reserves at once).
#   alive  idle|writing  RUN  EXIT  TOOL  WAIT
#     A holds, B runs takeover. EXIT: its exit status (5, master alive, is
#     the only right answer); TOOL: B's command sent -> B's marker after it
#     returned; WAIT: the documented wait the tool announced.
#   frozen  writing  RUN  FREEZE_TO_HELD  TOOL  WAIT  ATTEMPTED  LANDED  THAW_TO_FENCE  B_INTACT  REASON
#     A holds and writes, A is frozen, B runs takeover at once.
#     FREEZE_TO_HELD: A frozen -> B's module line "scsi_resfence: holding
#     ... scsi2 RESERVE(6) ..."; TOOL: B's command sent -> that line; WAIT as
#     above. B then writes 32 blocks where A's writer was heading, and A is
#     thawed: THAW_TO_FENCE: thawed -> A's FENCED line. ATTEMPTED: A's writes
#     that had not landed when B held the disk (queued then, or issued after
#     the thaw); LANDED: those on the disk afterwards (must be 0); B_INTACT:
#     1 if B's 32 blocks are all still there.
# A stays up through the first two series (a reset does not fence it); it
# is started afresh for each run of the third, which fences it.
# lab-needs: module tool
# lab-timeout: 5400
. "$VM_DIR/../failover/lib.sh"
FO_INTERVAL=2
runs=${BENCH_RUNS:-10}
data=${BENCH_DATA:?BENCH_DATA: where the results go}
hold_args="--mode scsi2 --epoch-lba 8 --interval $FO_INTERVAL --lease 0 --action restart"
tracing=/sys/kernel/debug/tracing
# B's probe write: WRITE(10) of one block at LBA 9 (outside A's region). A
# TEST UNIT READY first takes any unit attention a reset left for B.
write9='sg_turs $SG >/dev/null 2>&1; dd if=/dev/zero bs=512 count=1 2>/dev/null | sg_raw -s 512 -i /dev/stdin $SG 2a 00 00 00 00 09 00 00 01 00'
tag=0
b_held_re='scsi_resfence: holding .*: scsi2 RESERVE'

lab_initiator kernel
guest_start A B
fo_load B

# count_lines NAME RE: how many lines of NAME's console (latest boot) match RE.
count_lines() {
	grep -Ec -- "$2" "$(fo_ts_log "$1")" || :
}

# wait_nth NAME RE N SECONDS: wait for NAME's N-th console line matching RE;
# print its host timestamp.
wait_nth() {
	local left=$(($4 * 10))
	while [ "$(count_lines "$1" "$2")" -lt "$3" ]; do
		[ "$left" -gt 0 ] || host_fail "run $tag: guest $1: no line $3 matching /$2/ within $4 s"
		sleep 0.1
		left=$((left - 1))
	done
	grep -E -- "$2" "$(fo_ts_log "$1")" | sed -n "$3p" | cut -d' ' -f1
}

# takeover_cmd TAG: B's takeover with the master's timing, and a kernel-log
# marker once it returned:  scsi2-takeover: B takeover exit RC TAG
takeover_cmd() {
	echo "rc=0; resfencectl takeover \$DISK $hold_args || rc=\$?; klog \"scsi2-takeover: B takeover exit \$rc $1\"; exit \$rc"
}

# A fresh A holding the disk (fo_fresh_master). Sets dev, again_re and
# fence_re for this boot of A.
setup_a() {
	fo_fresh_master A B
	guest_ok A "resfencectl hold \$DISK $hold_args"
	dev=$(fo_dev A)
	again_re="scsi_resfence: ${dev%% *}: reserved again after a reset\$"
	fence_re="scsi_resfence: FENCED ${dev//[()]/.} key 0x[0-9a-f]+: .*: restarting now"
}

# The trace event of every SCSI command's completion, kept in A's trace
# buffer only when it did not complete with GOOD: the first such command
# after a reset is the one that met its unit attention.
trace_a() {
	guest_ok A "echo 'result != 0' >$tracing/events/scsi/scsi_dispatch_cmd_done/filter &&
		echo 1 >$tracing/events/scsi/scsi_dispatch_cmd_done/enable"
}

# ua_cmd: the opcode name of A's first traced CHECK CONDITION, or "none".
ua_cmd() {
	guest_run A "grep -m 1 'status=SAM_STAT_CHECK_CONDITION' $tracing/trace" |
		sed -n 's/.* cmnd=(\([A-Za-z0-9_]*\) .*/\1/p' | grep . || echo none
}

# run_reset LOAD I: series 1, B resets the LUN while A holds.
run_reset() {
	local load=$1 i=$2 out rc=0 n t_reset t_again probe=0
	[ "$load" = writing ] || fo_random_phase
	tag=$((tag + 1))
	n=$(count_lines A "$again_re")
	guest_ok A ": >$tracing/trace"
	out=$(guest_run B "resfencectl reset \$DISK --level lun && klog 'scsi2-takeover: B reset done run=$tag'" 60) || rc=$?
	[ "$rc" -eq 0 ] || host_fail "run $tag: B's LUN reset exited $rc: $out"
	t_reset=$(guest_klog_wait B "scsi2-takeover: B reset done run=$tag\$" 10)
	t_again=$(wait_nth A "$again_re" $((n + 1)) 30)
	guest_run B "$write9" 60 >/dev/null || probe=$?
	printf 'reset\t%s\t%s\t%s\t%s\t%s\n' "$load" "$i" "$(fo_sub "$t_again" "$t_reset")" "$probe" "$(ua_cmd)" >>"$data"
	lab_log "reset $load run $i: B's reset done -> A reserved again $(fo_sub "$t_again" "$t_reset") s; B's probe write exit $probe"
}

# run_alive LOAD I: series 2, B's takeover of a live master.
run_alive() {
	local load=$1 i=$2 out rc=0 n t_start t_done wait
	tag=$((tag + 1))
	n=$(count_lines A "$again_re")
	t_start=$(host_now)
	out=$(guest_run B "$(takeover_cmd "run=$tag")" 60) || rc=$?
	t_done=$(guest_klog_wait B "scsi2-takeover: B takeover exit [0-9]+ run=$tag\$" 10)
	wait=$(fo_announced_wait "$out")
	printf 'alive\t%s\t%s\t%s\t%s\t%s\n' "$load" "$i" "$rc" "$(fo_sub "$t_done" "$t_start")" "$wait" >>"$data"
	[ "$rc" -eq 5 ] || host_fail "run $tag: B's takeover of a live master exited $rc, expected 5: $out"
	# The master is alive because it took the disk back during the wait.
	[ "$(count_lines A "$again_re")" -gt "$n" ] ||
		host_fail "run $tag: B's takeover exited 5 but A did not say it reserved again"
	lab_log "alive $load run $i: B's takeover exit $rc after $(fo_sub "$t_done" "$t_start") s"
}

# run_frozen I: series 3, A frozen, B's takeover, A thawed and fenced.
run_frozen() {
	local i=$1 out rc=0 n t_freeze t_start t_held t_thaw t_fenced wait
	local attempted landed intact=1 reason
	setup_a
	fo_writer_start A
	fo_wait_landed A 20
	n=$(count_lines B "$b_held_re")
	guest_freeze A
	t_freeze=$(host_now)
	tag=$((tag + 1))
	t_start=$(host_now)
	out=$(guest_run B "$(takeover_cmd "run=$tag")" 60) || rc=$?
	[ "$rc" -eq 0 ] || host_fail "run $tag: B's takeover of a frozen A exited $rc: $out"
	guest_klog_wait B "scsi2-takeover: B takeover exit 0 run=$tag\$" 10 >/dev/null
	t_held=$(wait_nth B "$b_held_re" $((n + 1)) 10)
	wait=$(fo_announced_wait "$out")
	# A is frozen: what of its writes is on the disk now is fixed. B then
	# writes where A's writer was heading.
	fo_landed A >"$LAB_RUN/a-before"
	fo_overwrite B "$(fo_last_issued A)"
	t_thaw=$(host_now)
	guest_thaw A
	guest_expect_restart A "$fence_re" 60 >/dev/null
	t_fenced=$(fo_line_ts A "$fence_re")
	reason=$(fo_fence_reason A)
	read -r attempted landed <<<"$(fo_late_writes A "$LAB_RUN/a-before")"
	fo_intact B || intact=0
	printf 'frozen\twriting\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$(fo_sub "$t_held" "$t_freeze")" \
		"$(fo_sub "$t_held" "$t_start")" "$wait" "$attempted" "$landed" "$(fo_sub "$t_fenced" "$t_thaw")" \
		"$intact" "$reason" >>"$data"
	lab_log "frozen run $i: frozen -> B holding $(fo_sub "$t_held" "$t_freeze") s (tool $(fo_sub "$t_held" "$t_start") s, documented wait $wait s); A fenced $(fo_sub "$t_fenced" "$t_thaw") s after its thaw ($reason); A's writes after: $attempted attempted, $landed landed; B's blocks intact: $intact"
}

setup_a
# The LUN is on an iscsi_tcp host (a reset reaches tgtd), and the module
# fell back to RESERVE(6).
for n in A B; do
	guest_ok "$n" 'h=$(readlink -f /sys/class/block/${DISK#/dev/}/device); h=${h##*/}; grep -qx iscsi_tcp /sys/class/scsi_host/host${h%%:*}/proc_name'
done
guest_ok A 'resfencectl status $DISK --json | grep -Eq "\"cdb_len\": *6[,}]?$"'
trace_a

fo_series "$runs" run_reset idle
fo_series "$runs" run_alive idle
fo_writer_start A
fo_wait_landed A 20
fo_series "$runs" run_reset writing
fo_series "$runs" run_alive writing
# A was never fenced and never saw a conflict of its own.
guest_ok A 'resfencectl status $DISK --json | grep -Eq "\"state\": *\"armed\""'
guest_ok A 'resfencectl status $DISK --json | grep -Eq "\"conflicts\": *0[,}]?$"'

# Series 3 starts each run with a fresh A: this one lets go of the disk
# first, so that no reservation of its old session is left on tgtd.
guest_ok A 'resfencectl release $DISK'
guest_stop A
fo_series "$runs" run_frozen
