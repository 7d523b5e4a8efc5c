#!/bin/bash
# Measure what issue 6 asks for, on the two-guest lab (QEMU TCG guests A and
# B, the host's tgtd serving one LUN), and write a report:
#   - fence latency, B's preempt done -> A restarted, A idle and A writing
#   - takeover time, A frozen -> B holding, against the documented wait
#   - A's writes that reached the disk after B took over (must be 0), with
#     the count of writes A attempted
#     tests/bench/fence-latency.sh            BENCH_RUNS=10 runs per series
#     BENCH_RUNS=3 tests/bench/fence-latency.sh
# A benchmark, not a test: make check does not run it. It takes about a
# minute per run on a quiet two-core host (A reboots after every run). The
# report is build/bench/fence-latency.md (raw runs: fence-latency.tsv, lab
# logs: build/test-logs/fence-latency.*); it is printed at the end. Exit
# status 1 if the lab run failed or any write of A's landed after a takeover.
set -eu
. "$(dirname "$0")/lib.sh"
bench_run fence-latency

{
	echo "# Fence latency and takeover time, measured"
	echo
	echo "$bench_header"
	echo
	echo "Two QEMU TCG guests (${cpus:-? CPUs} each, as the two-guest lab boots them), the host's tgtd serving one 64 MiB"
	echo "LUN on 127.0.0.1 through QEMU's iSCSI initiator; A holds it in pr mode (type we,"
	echo "key 0xa1) with interval 2 s, no lease, action restart. Times are host"
	echo "CLOCK_MONOTONIC stamps of the guests' console lines."
	echo
	echo "## Fence latency: B's preempt done -> A's FENCED line"
	echo
	echo "| A during the preempt | runs | median | worst | best | what fenced A |"
	echo "|---|---|---|---|---|---|"
	for load in idle writing; do
		read -r n med worst best <<<"$(stats fence "$load" 4)"
		echo "| $load | $n | $med s | $worst s | $best s | $(tally fence "$load" 7) |"
	done
	echo
	echo "Writes A issued after B's preempt was done (host clock), A writing: $(total fence writing 5) attempted,"
	echo "$(total fence writing 6) landed on the disk."
	echo
	echo "## Takeover: A frozen -> B holding"
	echo
	read -r n med worst best <<<"$(stats takeover frozen 4)"
	read -r _ tmed tworst _ <<<"$(stats takeover frozen 5)"
	wait=$(awk -F'\t' '$1 == "takeover" { print $6; exit }' "$data")
	echo "| runs | A frozen -> B holding: median | worst | best | B's takeover command: median | worst | documented wait |"
	echo "|---|---|---|---|---|---|---|"
	echo "| $n | $med s | $worst s | $best s | $tmed s | $tworst s | ${wait:-?} s = max(2 x 2 s, lease off) + 1 s |"
	echo
	echo "B's takeover starts as soon as A is frozen, so the first column is the"
	echo "command's time plus the lab's command round trip."
	echo "Writes of A's that had not landed when A froze (queued then, or issued after"
	echo "the thaw): $(total takeover frozen 7) attempted, $(total takeover frozen 8) landed on the disk."
	read -r _ fmed fworst _ <<<"$(stats takeover frozen 9)"
	echo "A thawed -> A's FENCED line: median $fmed s, worst $fworst s; what fenced it: $(tally takeover frozen 10)."
	echo
	echo "## Every run"
	echo
	echo '```'
	cat "$data"
	echo '```'
	[ "$rc" -eq 0 ] || echo "The lab run FAILED (exit $rc): see build/test-logs/fence-latency.host.log; the figures above are partial."
} >"$report"
cat "$report"

late=$(($(total fence writing 6) + $(total takeover frozen 8)))
[ "$late" -eq 0 ] || {
	echo "FAIL: $late write(s) of A's landed after B took over" >&2
	exit 1
}
exit "$rc"
