# The measurement of issue 14, as a two-guest lab session driven by
# tests/bench/fence-dump.sh (outside tests/scenarios/: make check never runs
# it). Per run, A boots (its RAM a shared file; ramoops loaded or not), holds
# the LUN, B preempts, A fences. One TSV line per run in BENCH_DATA:
#
#   dump  ramoops|none  RUN  FENCED_TO_EXIT  FOUND
#     FENCED_TO_EXIT: A's FENCED console line -> A's QEMU exited (host
#     clock, seconds). FOUND: with ramoops, whether A's next boot's
#     last-fence reported the fence (yes/no); "-" without a backend.
# lab-needs: module tool
# lab-timeout: 5400
# lab-pstore: ramoops
. "$VM_DIR/../failover/lib.sh"
runs=${BENCH_RUNS:-10}
data=${BENCH_DATA:?BENCH_DATA: where the results go}
hold_a="resfencectl hold \$DISK --mode pr --key $FO_KEY_A --type we --interval $FO_INTERVAL --lease 0 --action restart"

# A boot every run: on a loaded host a TCG guest's boot-time IO-APIC timer
# check can fail ("IO-APIC + timer doesn't work!", seen once in 7 boots at
# load average 13); the benchmark skips that check, the scenarios do not.
LAB_CMDLINE+=" no_timer_check"

guest_start B
fo_load B
tag=0

bench_dump() {
	local kind=$1 i=$2 rc=0 out dev fence_re t_fenced t_exit found=-
	if [ "$kind" = none ]; then LAB_PSTORE_NO_BACKEND=1; else LAB_PSTORE_NO_BACKEND=0; fi
	guest_start A
	fo_load A
	guest_run B 'resfencectl release $DISK' >/dev/null 2>&1 || :
	guest_ok A "$hold_a --no-rejoin-guard"
	dev=$(fo_dev A)
	fence_re="scsi_resfence: FENCED ${dev//[()]/.} key $FO_KEY_A: .*: restarting now"
	fo_random_phase
	tag=$((tag + 1))
	out=$(guest_run B "$(fo_preempt_cmd "$FO_KEY_B" "run=$tag")") || rc=$?
	[ "$rc" -eq 0 ] || host_fail "run $tag: B's preempt exited $rc: $out"
	guest_expect_restart A "$fence_re" 60 >/dev/null
	t_fenced=$(fo_line_ts A "$fence_re")
	t_exit=$(guest_exit_time A)
	if [ "$kind" = ramoops ]; then
		# The next run's boot reads it; this one checks it is there.
		LAB_PSTORE_NO_BACKEND=0
		guest_start A
		if guest_run A 'resfencectl last-fence --json' | grep -q '"last_restart_fenced": true'; then
			found=yes
		else
			found=no
		fi
		guest_stop A
	fi
	printf 'dump\t%s\t%s\t%s\t%s\n' "$kind" "$i" "$(fo_sub "$t_exit" "$t_fenced")" "$found" >>"$data"
	lab_log "dump $kind run $i: FENCED -> exit $(fo_sub "$t_exit" "$t_fenced") s, record found: $found"
}

# Alternate the series so that a change in the host's load hits both.
for i in $(seq 1 "$runs"); do
	bench_dump ramoops "$i"
	bench_dump none "$i"
done
