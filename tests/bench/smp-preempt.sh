#!/bin/bash
# Issue 18, SMP: B preempts a master that writes on both of its two vCPUs;
# how fast it fences, whether any write issued after the preempt lands (must
# not), and how many writes the other CPU issued after the fence decision.
#     BENCH_RUNS=5 tests/bench/smp-preempt.sh
# A benchmark, not a test: make check does not run it. The report is
# build/bench/smp-preempt.md (raw runs: smp-preempt.tsv); exit status 1 if the
# lab run failed or a write issued after the preempt landed.
set -eu
. "$(dirname "$0")/lib.sh"
RUNS=${BENCH_RUNS:-5}
bench_run smp-preempt
{
	echo "# SMP preempt: two vCPUs, a writer on each"
	echo
	echo "$bench_header"
	echo
	read -r n med worst best <<<"$(stats smp writing 4)"
	echo "| runs | fence latency median | worst | best | writes issued after the preempt | landed | writer lines after FENCED (per run) | SCSI commands at A's disk after FENCED (per run) | of them writes |"
	echo "|---|---|---|---|---|---|---|---|---|"
	echo "| $n | $med s | $worst s | $best s | $(column smp writing 5 | paste -sd+ | bc) | $(column smp writing 6 | paste -sd+ | bc) | $(column smp writing 7 | paste -sd' ') | $(column smp writing 9 | paste -sd' ') | $(column smp writing 10 | paste -sd' ') |"
} >"$report"
cat "$report"
exit "$rc"
