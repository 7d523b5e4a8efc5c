# Issue 18, SMP: the forced failover with two vCPUs per guest and a writer
# loop per vCPU on A. A lab session driven by tests/bench/smp-preempt.sh (not
# a test: make check never runs it). Per run: A holds (pr, interval 1 s, no
# lease, action restart) and writes with two loops; B preempts; A fences on
# one CPU while the other may be writing. One line per run goes to BENCH_DATA:
#
#   smp  writing  RUN  LATENCY  ATTEMPTED  LANDED  AFTER_FENCE  REASON  CMDS  WRITES
#     LATENCY: B's preempt done (its "holding ... (preempted)" line) -> A's
#     FENCED line, host clock. ATTEMPTED: writes A issued after B's preempt
#     was done (host clock); LANDED: those on the disk (must be 0).
#     AFTER_FENCE: writer lines "issue seq=N" A's kernel printed after its
#     FENCED line (guest clock): writes issued by the other CPU after the fence
#     decision, as far as the console shows them (lines still in the ring
#     buffer at the restart are lost: a lower bound).
#     CMDS, WRITES: SCSI commands (writes among them) that reached A's
#     emulated disk after A's console printed the FENCED line, counted in
#     QEMU's own trace log (tests/bench/after-fence.awk): what A issued after
#     the fence decision, whichever CPU issued it.
# A restarts at the end of every run and boots again for the next one.
# lab-needs: module tool
# lab-timeout: 3600
# lab-smp: 2
. "$VM_DIR/../failover/lib.sh"
FO_WRITERS=2
runs=${BENCH_RUNS:-5}
data=${BENCH_DATA:?BENCH_DATA: where the results go}

LAB_QEMU_TRACE="serial_write scsi_req_parsed"
guest_start A B
fo_load B
for i in $(seq 1 "$runs"); do
	fo_fresh_master A B
	fo_hold A "$FO_KEY_A" restart
	dev=$(fo_dev A)
	fo_writer_start A
	fo_wait_landed A 20
	fo_random_phase
	rc=0
	out=$(guest_run B "$(fo_preempt_cmd "$FO_KEY_B" run=$i)") || rc=$?
	[ "$rc" -eq 0 ] || host_fail "run $i: B's preempt exited $rc: $out"
	guest_klog_wait B "resfence-failover: B preempt exit 0 run=$i\$" 10 >/dev/null
	t_preempt=$(fo_held_ts B "$FO_KEY_B")
	fence_re="scsi_resfence: FENCED ${dev//[()]/.} key $FO_KEY_A: .*: restarting now"
	guest_expect_restart A "$fence_re" 60 >/dev/null
	t_fenced=$(fo_line_ts A "$fence_re")
	fo_issued_after A "$t_preempt" | sort -n >"$LAB_RUN/attempted.$i"
	landed=$(fo_landed A | sort | comm -12 - <(sort "$LAB_RUN/attempted.$i") | wc -l)
	after=$(awk -v re="$fence_re" '
		$0 ~ re { g = 1; next }
		g && /resfence-writer: A issue seq=/ { n++ }
		END { print n + 0 }' "$(fo_ts_log A)")
	read -r cmds writes <<<"$(awk -v re='scsi_resfence: FENCED' -f "$VM_DIR/../bench/after-fence.awk" \
		"${G_LOGB[A]}.qemu-trace.log")"
	printf 'smp\twriting\t%d\t%s\t%d\t%d\t%d\t%s\t%s\t%s\n' "$i" "$(fo_sub "$t_fenced" "$t_preempt")" \
		"$(wc -l <"$LAB_RUN/attempted.$i")" "$landed" "$after" "$(fo_fence_reason A)" "$cmds" "$writes" >>"$data"
	lab_log "run $i: fenced $(fo_sub "$t_fenced" "$t_preempt") s after the preempt; $(wc -l <"$LAB_RUN/attempted.$i") writes issued after it, $landed landed; $after writer lines after the FENCED line; $cmds SCSI commands ($writes writes) reached A's disk after it"
	[ "$landed" -eq 0 ] || host_fail "run $i: $landed of A's writes issued after B's preempt landed"
done
guest_ok B 'resfencectl release $DISK'
