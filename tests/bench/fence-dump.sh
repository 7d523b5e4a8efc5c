#!/bin/bash
# Measure what the pstore dump adds to the fence latency (issue 14): the
# time from A's FENCED console line (printed right before
# emergency_restart(), whose kmsg_dump() hands the log to pstore) to A's
# QEMU exiting (-no-reboot), with ramoops registered (max_reason 3) and
# without a pstore backend, the guest's RAM a shared file in both series.
#     tests/bench/fence-dump.sh            BENCH_RUNS=10 runs per series
# A benchmark, not a test: make check does not run it. The report is
# build/bench/fence-dump.md (raw runs: fence-dump.tsv), printed at the end.
set -eu
. "$(dirname "$0")/lib.sh"
bench_run fence-dump

{
	echo "# The pstore dump in the fence latency, measured"
	echo
	echo "$bench_header"
	echo
	echo "Two QEMU TCG guests (${cpus:-? CPUs} each), the host's tgtd serving one LUN; A holds it"
	echo "(pr, key 0xa1, interval 1 s, no lease, action restart), B preempts, A fences. A's RAM"
	echo "is a shared file (lab-pstore) in both series; ramoops (1 MiB at 256 MiB, record_size"
	echo "128 KiB, max_reason 3) is loaded or not. Times: host CLOCK_MONOTONIC, A's FENCED console"
	echo "line -> A's QEMU exited."
	echo
	echo "| pstore backend | runs | median | worst | best | record found after the restart |"
	echo "|---|---|---|---|---|---|"
	for kind in ramoops none; do
		read -r n med worst best <<<"$(stats dump "$kind" 4)"
		echo "| $kind | $n | $med s | $worst s | $best s | $(tally dump "$kind" 5) |"
	done
	echo
	echo "## Every run"
	echo
	echo '```'
	cat "$data"
	echo '```'
	[ "$rc" -eq 0 ] || echo "The lab run FAILED (exit $rc): see build/test-logs/fence-dump.host.log; the figures above are partial."
} >"$report"
cat "$report"
exit "$rc"
