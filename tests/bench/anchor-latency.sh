#!/bin/bash
# Issue 15 part 3: the fence latency of resfence against the anchor's
# (Debian's fence_scsi_check_hardreboot, and fence_scsi_check followed by an
# orderly reboot), A idle and A writing, on the two-guest lab
# (tests/bench/anchor-latency.host.sh says what each series does).
#     tests/bench/anchor-latency.sh             BENCH_RUNS=10 runs per series
#     BENCH_RUNS=2 tests/bench/anchor-latency.sh
# A benchmark, not a test: make check does not run it. About a minute per
# run on a quiet host, 6 runs per BENCH_RUNS (A reboots every run). Report:
# build/bench/anchor-latency.md (raw: anchor-latency.tsv). Exit status
# non-zero only if the lab run failed.
set -eu
. "$(dirname "$0")/lib.sh"
bench_run anchor-latency

{
	echo "# Fence latency: resfence and the anchor, measured"
	echo
	echo "$bench_header"
	echo
	echo "Two QEMU TCG guests (${cpus:-? CPUs} each), the host's tgtd serving one 64 MiB LUN through"
	echo "QEMU's iSCSI initiator. B preempts A's key (resfencectl preempt, pr, type we); latency:"
	echo "B's module's \"holding ... (preempted)\" line -> A's QEMU exit, host CLOCK_MONOTONIC."
	echo
	echo "| series | A | runs | median | worst | best | median / resfence's | late writes landed (attempted) |"
	echo "|---|---|---|---|---|---|---|---|"
	for load in idle writing; do
		read -r _ rmed _ _ <<<"$(stats resfence "$load" 4)"
		for kind in resfence hardreboot orderly; do
			read -r n med worst best <<<"$(stats "$kind" "$load" 4)"
			ratio=$(awk -v a="$med" -v b="$rmed" 'BEGIN { if (b + 0 > 0 && a != "-") printf "%.1f", a / b; else print "-" }')
			echo "| $kind | $load | $n | $med s | $worst s | $best s | $ratio | $(total "$kind" "$load" 6) ($(total "$kind" "$load" 5)) |"
		done
	done
	echo
	echo "## Every run (KIND LOAD RUN LATENCY ATTEMPTED LANDED LAST_LINE)"
	echo
	echo '```'
	cat "$data"
	echo '```'
	[ "$rc" -eq 0 ] || echo "The lab run FAILED (exit $rc): see build/test-logs/anchor-latency.host.log; the figures above are partial."
} >"$report"
cat "$report"
exit "$rc"
