#!/bin/bash
# Measure what issue 11 asks for: the fence latency of a dm-multipath hold
# when B's preempt is seen on the map's second path (the first failed in
# dm), the cost of the verification that comes first there, next to a hold
# of one bare disk (fenced at once on a conflict). One lab guest A, LIO
# through tcm_loop (Debian's kernel): A's two nexuses under the map, B a
# third nexus of the same guest; A restarts for real at every run and boots
# again (tests/bench/multipath-latency.host.sh, guest side
# multipath-latency.guest.sh). Four series, interleaved, BENCH_RUNS each:
# map/single x writing (A writes on through the preempt: LIO's unit
# attention REGISTRATIONS PREEMPTED comes first) / conflict (that unit
# attention cleared, the conflict comes first: the map verifies it).
#     tests/bench/multipath-latency.sh            BENCH_RUNS=10 runs per series
#     BENCH_RUNS=1 tests/bench/multipath-latency.sh
#     LAB_SMP=2 tests/bench/multipath-latency.sh  two vCPUs (default one)
# A benchmark, not a test: make check does not run it. About 40 s per run
# of the four series (four boots). The report is
# build/bench/multipath-latency.md (raw runs: multipath-latency.tsv, lab
# logs: build/test-logs/multipath-latency.*), printed at the end. Exit
# status non-zero only if the lab run failed, never on a slow figure.
set -eu
. "$(dirname "$0")/lib.sh"
bench_run multipath-latency

# num KIND LOAD C: the numeric values of a column ("-" left out).
num() {
	column "$@" | grep -E '^-?[0-9.]+$' || :
}
# st KIND LOAD C: "n median worst best" of its numbers, in ms.
st() {
	num "$@" | sort -g | awk '{ v[NR] = $1 * 1000 } END {
		if (NR == 0) { print "0 - - -"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%d %.1f %.1f %.1f\n", NR, m, v[NR], v[1] }'
}
# ratio A B: A / B, or "-".
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f\n", a / b }'
}
# row KIND LOAD C: "| n | median | worst | best |" cells of a column.
row() {
	local n med worst best
	read -r n med worst best <<<"$(st "$@")"
	echo "$n | $med ms | $worst ms | $best ms"
}
cmd="BENCH_RUNS=$RUNS ${LAB_SMP:+LAB_SMP=$LAB_SMP }tests/bench/multipath-latency.sh"

{
	echo "# Multipath fence latency and the verification's cost, measured"
	echo
	echo "${bench_header%Command:*}Command: \`$cmd\`"
	echo
	echo "One QEMU TCG guest A (${cpus:-? CPU}, $(grep -ho 'Linux version [^ ]*' "$LOG_DIR/multipath-latency.A.console.log" 2>/dev/null | head -n 1 | sed 's/Linux version //' || echo '?')), LIO fileio LU of 16 MiB (unit serial set)"
	echo "through tcm_loop: A's two nexuses (paths 1 and 2), B's one. A holds in pr mode, type we-ro,"
	echo "key 0xa1, interval 60 s, lease 0, action restart: *map* = a dm-multipath map over"
	echo "paths 1 and 2, path 1 failed in dm (\`dmsetup message ... fail_path\`), so A's writes go"
	echo "down path 2; *single* = path 1's bare disk. A writes 4 KiB O_DIRECT blocks in a loop"
	echo "(dd). B registers 0xb1 and preempts 0xa1 (\`sg_persist --out --preempt\`, type 5)."
	echo "A restarts every run (the real \`emergency_restart()\`) and boots again: a fresh LU."
	echo "Within each run the four series run in turn, the order rotating with the run."
	echo
	echo "*writing*: A writes on through the preempt. LIO sets the unit attention REGISTRATIONS"
	echo "PREEMPTED on A's nexuses; A's next command gets it (the module queues the refresh at"
	echo "once), the SCSI layer retries the write, which conflicts. T0 is LIO's own \"PREEMPT"
	echo "from Node\" line (target_core_pr.c, through dynamic debug): the target has applied the"
	echo "preempt (the guest that fences also runs B's sg_persist, which A often beats to its return)."
	echo "*conflict*: A's writer stopped (SIGSTOP) over the preempt, the unit attentions cleared"
	echo "with REQUEST SENSE on both of A's nexuses, then the writer continued (SIGCONT); T0 is"
	echo "the marker just before it: A's next write meets RESERVATION CONFLICT first, so the map"
	echo "verifies it (its \"reservation conflict ... verifying\" line, the refresh through a path"
	echo "that answers) and the single disk fences in the conflict's completion."
	echo "Fence = the module's \`FENCED ... restarting now\` line (printk timestamps, the guest's"
	echo "clock) and QEMU's exit (the host's CLOCK_MONOTONIC against T0's console line's host stamp)."
	echo
	echo "## Fence latency: T0 -> FENCED line (guest clock)"
	echo
	echo "| hold | A during the preempt | runs | median | worst | best | what fenced A |"
	echo "|---|---|---|---|---|---|---|"
	for load in writing conflict; do
		for kind in map single; do
			echo "| $kind | $load | $(row "$kind" "$load" 4) | $(tally "$kind" "$load" 12) |"
		done
	done
	echo
	echo "## The same to QEMU's exit (host clock)"
	echo
	echo "| hold | A during the preempt | runs | median | worst | best |"
	echo "|---|---|---|---|---|---|"
	for load in writing conflict; do
		for kind in map single; do
			echo "| $kind | $load | $(row "$kind" "$load" 5) |"
		done
	done
	echo
	echo "FENCED line -> QEMU exit, all runs: $(for k in map single; do for l in writing conflict; do num "$k" "$l" 10; done; done |
		sort -g | awk '{ v[NR] = $1 * 1000 } END { if (NR) printf "median %.1f ms, worst %.1f ms, best %.1f ms (%d runs)", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[NR], v[1], NR }')."
	echo
	echo "## Map / single"
	echo
	echo "| A during the preempt | median map / median single (FENCED line) | (QEMU exit) | worst map / worst single (FENCED line) |"
	echo "|---|---|---|---|"
	for load in writing conflict; do
		read -r _ mm mw _ <<<"$(st map "$load" 4)"
		read -r _ sm sw _ <<<"$(st single "$load" 4)"
		read -r _ mx _ _ <<<"$(st map "$load" 5)"
		read -r _ sx _ _ <<<"$(st single "$load" 5)"
		echo "| $load | $(ratio "$mm" "$sm") ($mm / $sm ms) | $(ratio "$mx" "$sx") ($mx / $sx ms) | $(ratio "$mw" "$sw") ($mw / $sw ms) |"
	done
	echo
	echo "## The verification's cost"
	echo
	echo "| hold | A during the preempt | first sign on A's side | runs | median | worst | best |"
	echo "|---|---|---|---|---|---|---|"
	echo "| map | conflict | \`verifying\` line -> FENCED line | $(row map conflict 6) |"
	echo "| map | writing | unit attention (\`Parameters changed\`) -> FENCED line | $(row map writing 6) |"
	echo "| single | writing | unit attention (\`Parameters changed\`) -> FENCED line | $(row single writing 6) |"
	echo
	echo "First signs seen: map writing $(tally map writing 7); single writing $(tally single writing 7);"
	echo "map conflict $(tally map conflict 7); single conflict $(tally single conflict 7) (\"-\": the FENCED line came first)."
	echo "A \`verifying\` line before the fence: map writing $(count map writing 11 yes) of $(st map writing 4 | cut -d' ' -f1),"
	echo "map conflict $(count map conflict 11 yes) of $(st map conflict 4 | cut -d' ' -f1)."
	read -r _ mcm _ _ <<<"$(st map conflict 4)"
	read -r _ scm _ _ <<<"$(st single conflict 4)"
	echo "Map conflict minus single conflict, medians of T0 -> FENCED: $(awk -v a="$mcm" -v b="$scm" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.1f", a - b }') ms."
	echo
	echo "## Every run"
	echo
	echo "Columns: KIND LOAD RUN T0_FENCED T0_EXIT SIGN_FENCED SIGN START_FENCED DONE_FENCED FENCED_EXIT"
	echo "VERIFYING REASON (seconds; tests/bench/multipath-latency.host.sh says what each is)."
	echo
	echo '```'
	cat "$data"
	echo '```'
	[ "$rc" -eq 0 ] || echo "The lab run FAILED (exit $rc): see build/test-logs/multipath-latency.host.log; the figures above are partial."
} >"$report"
cat "$report"
exit "$rc"
