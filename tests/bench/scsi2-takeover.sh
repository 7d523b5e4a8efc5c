#!/bin/bash
# Measure the SCSI-2 flow of issue 6 (scenario 5) on the two-guest lab with
# the kernel's own iSCSI initiator (QEMU TCG guests A and B, iscsi_tcp to the
# host's tgtd, one LUN), and write a report:
#   - B's LUN reset done -> A reserved again, A idle and A writing, with the
#     command of A's that met the reset's unit attention, and B's probe write
#     right after (it must conflict)
#   - B's takeover of a live master: exit 5 in every run
#   - A frozen -> B holding after its takeover, against the documented wait;
#     A thawed -> fenced; A's writes that reached the disk after B took over
#     (must be 0), with the count of writes A attempted
#     tests/bench/scsi2-takeover.sh            BENCH_RUNS=10 runs per series
#     BENCH_RUNS=3 tests/bench/scsi2-takeover.sh
# A benchmark, not a test: make check does not run it. The report is
# build/bench/scsi2-takeover.md (raw runs: scsi2-takeover.tsv, lab logs:
# build/test-logs/scsi2-takeover.*); it is printed at the end. Exit status 1
# if the lab run failed (a takeover of a live master that did not exit 5
# ends it), if any write of A's landed after B took over (or B's blocks were
# not intact), or if a probe write of B's did not conflict after A reserved
# again.
set -eu
. "$(dirname "$0")/lib.sh"
bench_run scsi2-takeover

{
	echo "# SCSI-2 over the kernel's initiator: reset, live master, frozen master"
	echo
	echo "$bench_header"
	echo
	echo "Two QEMU TCG guests (${cpus:-? CPUs} each, as the two-guest lab boots them), each logged in"
	echo "to the host's tgtd (one 64 MiB LUN on 127.0.0.1) with the kernel's iscsi_tcp initiator,"
	echo "so a LUN reset reaches tgtd. A holds in scsi2 mode (RESERVE(6): tgt has no RESERVE(10)),"
	echo "interval 2 s, no lease, action restart. Times are host CLOCK_MONOTONIC stamps of the"
	echo "guests' console lines."
	echo
	echo "## B resets the LUN: B's reset done -> A's \"reserved again after a reset\" line"
	echo
	echo "| A during the reset | runs | median | worst | best | A's command that met the reset's unit attention | B's probe write right after: conflicted |"
	echo "|---|---|---|---|---|---|---|"
	for load in idle writing; do
		read -r n med worst best <<<"$(stats reset "$load" 4)"
		echo "| $load | $n | $med s | $worst s | $best s | $(tally reset "$load" 6) | $(count reset "$load" 5 24) of $n |"
	done
	echo
	echo "## B's takeover of a live master"
	echo
	echo "| A during the takeover | runs | exit 5 (master alive) | other exits | command: median | worst | best | documented wait |"
	echo "|---|---|---|---|---|---|---|---|"
	for load in idle writing; do
		read -r n med worst best <<<"$(stats alive "$load" 5)"
		others=$(column alive "$load" 4 | grep -vx 5 | sort | uniq -c | awk '{ printf "%s%d x exit %s", sep, $1, $2; sep = "; " }')
		wait=$(column alive "$load" 6 | head -n 1)
		echo "| $load | $n | $(count alive "$load" 4 5) | ${others:-none} | $med s | $worst s | $best s | ${wait:-?} s |"
	done
	echo
	echo "## A frozen -> B holding"
	echo
	read -r n med worst best <<<"$(stats frozen writing 4)"
	read -r _ tmed tworst tbest <<<"$(stats frozen writing 5)"
	wait=$(column frozen writing 6 | head -n 1)
	echo "| runs | A frozen -> B holding: median | worst | best | B's takeover command: median | worst | best | documented wait |"
	echo "|---|---|---|---|---|---|---|---|"
	echo "| $n | $med s | $worst s | $best s | $tmed s | $tworst s | $tbest s | ${wait:-?} s = max(2 x 2 s, lease off) + 1 s |"
	echo
	echo "B's takeover starts as soon as A is frozen, so the first column is the"
	echo "command's time plus the lab's command round trip."
	read -r _ fmed fworst fbest <<<"$(stats frozen writing 9)"
	echo "A thawed -> A's FENCED line: median $fmed s, worst $fworst s, best $fbest s; what fenced it: $(tally frozen writing 11)."
	echo "Writes of A's that had not landed when B held the disk (queued then, or issued after"
	echo "the thaw): $(total frozen writing 7) attempted, $(total frozen writing 8) landed on the disk."
	echo "B's 32 blocks written over A's region while A was frozen: intact after A's thaw in $(count frozen writing 10 1) of $n runs."
	echo
	echo "## Every run"
	echo
	echo '```'
	cat "$data"
	echo '```'
	[ "$rc" -eq 0 ] || echo "The lab run FAILED (exit $rc): see build/test-logs/scsi2-takeover.host.log; the figures above are partial."
} >"$report"
cat "$report"

late=$(total frozen writing 8)
[ "$late" -eq 0 ] || {
	echo "FAIL: $late write(s) of A's landed after B took over" >&2
	exit 1
}
unconflicted=$(awk -F'\t' '$1 == "reset" && $5 != 24' "$data" | wc -l)
[ "$unconflicted" -eq 0 ] || {
	echo "FAIL: $unconflicted probe write(s) of B's did not conflict after A reserved again" >&2
	exit 1
}
overwritten=$(awk -F'\t' '$1 == "frozen" && $10 != 1' "$data" | wc -l)
[ "$overwritten" -eq 0 ] || {
	echo "FAIL: B's blocks were not intact after A's thaw in $overwritten run(s)" >&2
	exit 1
}
exit "$rc"
