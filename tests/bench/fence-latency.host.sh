# The measurements of issue 6, as a two-guest lab session driven by
# tests/bench/fence-latency.sh (not a test: it is outside tests/scenarios/,
# so make check never runs it). One tgtd LUN, guests A and B, interval 2 s
# (the module's default), no lease, action restart. Three series of
# BENCH_RUNS runs each; one line per run is appended to BENCH_DATA (TSV):
#
#   fence  idle|writing  RUN  LATENCY  ATTEMPTED  LANDED  REASON
#     scenario 4: A holds (idle, or with its writer loops running), B runs
#     preempt. LATENCY: B's module's "holding ... (preempted)" line (the
#     PREEMPT done and confirmed) -> A's FENCED line, on the host's clock. ATTEMPTED: writes A issued after B's preempt was
#     done (host clock); LANDED: how many of those are on the disk (must be 0).
#   takeover  frozen  RUN  FREEZE_TO_HELD  TOOL  WAIT  ATTEMPTED  LANDED  THAW_TO_FENCE  REASON
#     scenarios 2/3: A holds and writes, A is frozen, B runs takeover at
#     once. FREEZE_TO_HELD: A frozen -> B's module's "holding" line; TOOL:
#     B's command sent -> that line; WAIT: the documented wait the tool announced.
#     Then A is thawed and fenced; ATTEMPTED: A's writes that had not landed
#     when it froze (queued then, or issued after the thaw); LANDED: those on
#     the disk afterwards (must be 0); THAW_TO_FENCE: A thawed -> its FENCED
#     line.
# A restarts at the end of every run and boots again for the next one.
# lab-needs: module tool
# lab-timeout: 5400
. "$VM_DIR/../failover/lib.sh"
FO_INTERVAL=2
runs=${BENCH_RUNS:-10}
data=${BENCH_DATA:?BENCH_DATA: where the results go}

guest_start A B
fo_load B
dev=$(fo_dev A)
fence_re="scsi_resfence: FENCED ${dev//[()]/.} key $FO_KEY_A: .*: restarting now"
tag=0

# A fresh A holding the disk.
bench_setup_a() {
	fo_fresh_master A B
	fo_hold A "$FO_KEY_A" restart
}

bench_fence() {
	local load=$1 i=$2 out rc=0 t_preempt t_fenced attempted landed reason
	bench_setup_a
	if [ "$load" = writing ]; then
		fo_writer_start A
		fo_wait_landed A 20
	else
		fo_random_phase
	fi
	tag=$((tag + 1))
	out=$(guest_run B "$(fo_preempt_cmd "$FO_KEY_B" "run=$tag")") || rc=$?
	[ "$rc" -eq 0 ] || host_fail "run $tag: B's preempt exited $rc: $out"
	t_preempt=$(guest_klog_wait B "resfence-failover: B preempt exit 0 run=$tag\$" 10)
	t_preempt=$(fo_held_ts B "$FO_KEY_B")
	guest_expect_restart A "$fence_re" 60 >/dev/null
	t_fenced=$(fo_line_ts A "$fence_re")
	reason=$(fo_fence_reason A)
	fo_issued_after A "$t_preempt" | sort -u >"$LAB_RUN/after"
	attempted=$(wc -l <"$LAB_RUN/after")
	landed=$(fo_landed A | sort | comm -12 - "$LAB_RUN/after" | wc -l)
	printf 'fence\t%s\t%s\t%s\t%s\t%s\t%s\n' "$load" "$i" "$(fo_sub "$t_fenced" "$t_preempt")" \
		"$attempted" "$landed" "$reason" >>"$data"
	lab_log "fence $load run $i: $(fo_sub "$t_fenced" "$t_preempt") s ($reason), A's writes after the preempt: $attempted attempted, $landed landed"
}

bench_takeover() {
	local i=$1 out rc=0 t_freeze t_start t_taken t_thaw t_fenced wait attempted landed reason
	bench_setup_a
	fo_writer_start A
	fo_wait_landed A 20
	guest_freeze A
	t_freeze=$(host_now)
	tag=$((tag + 1))
	t_start=$(host_now)
	out=$(guest_run B "$(fo_takeover_cmd "$FO_KEY_B" "run=$tag")") || rc=$?
	[ "$rc" -eq 0 ] || host_fail "run $tag: B's takeover of a frozen A exited $rc: $out"
	t_taken=$(guest_klog_wait B "resfence-failover: B takeover exit 0 run=$tag\$" 10)
	t_taken=$(fo_held_ts B "$FO_KEY_B")
	wait=$(fo_announced_wait "$out")
	sleep 0.5
	fo_landed A | sort >"$LAB_RUN/before"
	t_thaw=$(host_now)
	guest_thaw A
	guest_expect_restart A "$fence_re" 60 >/dev/null
	t_fenced=$(fo_line_ts A "$fence_re")
	reason=$(fo_fence_reason A)
	read -r attempted landed <<<"$(fo_late_writes A "$LAB_RUN/before")"
	printf 'takeover\tfrozen\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$(fo_sub "$t_taken" "$t_freeze")" \
		"$(fo_sub "$t_taken" "$t_start")" "$wait" "$attempted" "$landed" "$(fo_sub "$t_fenced" "$t_thaw")" "$reason" >>"$data"
	lab_log "takeover run $i: frozen -> B holding $(fo_sub "$t_taken" "$t_freeze") s (tool $(fo_sub "$t_taken" "$t_start") s, documented wait $wait s); A fenced $(fo_sub "$t_fenced" "$t_thaw") s after its thaw ($reason); A's writes after: $attempted attempted, $landed landed"
}

fo_series "$runs" bench_fence idle
fo_series "$runs" bench_fence writing
fo_series "$runs" bench_takeover
